import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertEmbedderAllowed, assertGeneratorAllowed, embedderRefusal } from "./deployment";

/** A gate that records which check was asked for, and refuses what `refused` names. */
function fakeGate(refused: string[] = [], models: { id: string; role: string; enabled: boolean; baseModel?: string }[] = []) {
  const calls: string[] = [];
  const check = (key: string) => {
    calls.push(key);
    if (refused.includes(key)) throw new AppError("unavailable:models", `${key} refused`);
  };
  return {
    calls,
    gate: {
      assertModelAllowed: (id: string) => (check(`model:${id}`), {} as never),
      assertRoleAllowed: (role: string) => (check(`role:${role}`), models.filter((m) => m.role === role && m.enabled) as never[]),
      assertServedModelAllowed: (role: string, name: string, where: string) => (check(`served:${role}:${name}@${where}`), { id: `entry-for-${name}` } as never),
      status: () => ({ manifest: { version: 1, models } }) as never,
    },
  };
}

const local = { EMBEDDER: "wink-sif-100d", EMBEDDINGS_BASE_URL: undefined, EMBEDDINGS_MODEL: undefined };

describe("the models a deployment uses", () => {
  it("checks the local embedder by its manifest id, a transformers folder too", () => {
    const f = fakeGate();
    assertEmbedderAllowed(f.gate, local);
    assertEmbedderAllowed(f.gate, { ...local, EMBEDDER: "bge-small-en-v1.5" });
    expect(f.calls).toEqual(["model:wink-sif-100d", "model:bge-small-en-v1.5"]);
  });

  it("checks a remote embedder by the name the server serves, as the embedder requests it", () => {
    const f = fakeGate();
    assertEmbedderAllowed(f.gate, { ...local, EMBEDDINGS_BASE_URL: "http://tei:8080/v1", EMBEDDINGS_MODEL: "BAAI/bge-small-en-v1.5" });
    assertEmbedderAllowed(f.gate, { EMBEDDER: "bge-m3", EMBEDDINGS_BASE_URL: "http://tei:8080/v1", EMBEDDINGS_MODEL: undefined });
    expect(f.calls).toEqual([
      "served:embedding:BAAI/bge-small-en-v1.5@the embeddings server at http://tei:8080/v1",
      "served:embedding:bge-m3@the embeddings server at http://tei:8080/v1",
    ]);
  });

  it("returns the refusal message for ingest workers, or undefined", () => {
    expect(embedderRefusal(fakeGate().gate, local)).toBeUndefined();
    expect(embedderRefusal(fakeGate(["model:wink-sif-100d"]).gate, local)).toBe("model:wink-sif-100d refused");
  });

  it("checks the local generation role without LLM_BASE_URL, and the served model with it", () => {
    const f = fakeGate(["served:generation:mystery@the LLM server at http://gpu:8000/v1"]);
    assertGeneratorAllowed(f.gate, { LLM_BASE_URL: undefined }, "stories260k");
    expect(() => assertGeneratorAllowed(f.gate, { LLM_BASE_URL: "http://gpu:8000/v1" }, "mystery")).toThrow("refused");
    expect(f.calls).toEqual(["role:generation", "served:generation:mystery@the LLM server at http://gpu:8000/v1"]);
  });

  it("checks the LoRA adapters the local server loads on the generation model, and no others", () => {
    const models = [
      { id: "base", role: "generation", enabled: true },
      { id: "support-lora", role: "adapter", enabled: true, baseModel: "base" },
      { id: "old-lora", role: "adapter", enabled: false, baseModel: "base" },
      { id: "other-lora", role: "adapter", enabled: true, baseModel: "elsewhere" },
    ];
    const f = fakeGate(["model:support-lora"], models);
    expect(() => assertGeneratorAllowed(f.gate, { LLM_BASE_URL: undefined }, "base")).toThrow("model:support-lora refused");
    expect(f.calls).toEqual(["role:generation", "model:support-lora"]);
  });

  it("returns the answering model's manifest entry, so the chat knows whether it is an instruct model", () => {
    const models = [
      { id: "tiny", role: "generation", enabled: true },
      { id: "qwen-instruct", role: "generation", enabled: true },
    ];
    const f = fakeGate([], models);
    expect(assertGeneratorAllowed(f.gate, { LLM_BASE_URL: undefined }, "qwen-instruct")).toMatchObject({ id: "qwen-instruct" });
    expect(assertGeneratorAllowed(f.gate, { LLM_BASE_URL: "http://gpu:8000/v1" }, "Qwen/Qwen2.5-7B-Instruct")).toMatchObject({ id: "entry-for-Qwen/Qwen2.5-7B-Instruct" });
  });
});
