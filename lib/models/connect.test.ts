import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { chosenLocalModel, readActiveGeneration, readServerKey, saveActiveGeneration, saveServerKey, withActiveGeneration } from "@/lib/llm/active";
import { entry, manifestOf } from "@/test/support/models";
import { readAddedModels, saveAddedModel, withAddedModels } from "./added";
import { remoteModelEntry, remoteModelId } from "./connect";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-connect-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const input = { baseUrl: "http://gpu-box:11434/v1", model: "qwen2.5:7b-instruct", kind: "instruct" as const, host: "self-hosted" as const, license: "Apache-2.0", commercialUse: true };

describe("connecting a model server", () => {
  it("records a served model as a governed remote entry", () => {
    expect(remoteModelId("Qwen/Qwen2.5-7B-Instruct")).toBe("remote-qwen-qwen2.5-7b-instruct");
    expect(remoteModelEntry(input)).toMatchObject({
      id: "remote-qwen2.5-7b-instruct",
      role: "generation",
      format: "remote",
      kind: "instruct",
      source: "http://gpu-box:11434/v1",
      license: { id: "Apache-2.0" },
      permits: { commercialUse: true, redistributionOfWeights: false },
      locality: "any",
      served: { name: "qwen2.5:7b-instruct", host: "self-hosted" },
      approval: null,
    });
    expect(remoteModelEntry({ ...input, host: "third-party" }).locality).toBe("remote");
  });

  it("refuses a license that is not an SPDX id, naming the field", () => {
    expect(() => remoteModelEntry({ ...input, license: "apache 2" })).toThrow(ZodError);
  });

  it("keeps added models in the data folder, after the committed ones, never shadowing them", () => {
    const file = path.join(dir, "models", "manifest.added.json");
    expect(readAddedModels(file)).toEqual([]);
    saveAddedModel(file, remoteModelEntry(input));
    saveAddedModel(file, remoteModelEntry({ ...input, license: "MIT" }));
    expect(readAddedModels(file).map((m) => [m.id, m.license?.id])).toEqual([["remote-qwen2.5-7b-instruct", "MIT"]]);
    const committed = manifestOf(entry({ id: "stories260k" }));
    expect(withAddedModels(committed, readAddedModels(file)).models.map((m) => m.id)).toEqual(["stories260k", "remote-qwen2.5-7b-instruct"]);
    expect(() => withAddedModels(committed, [entry({ id: "stories260k" })])).toThrow('has the id of an entry in the committed manifest');
  });

  it("lays the chosen answering server over the settings, with its key kept readable by this user only", () => {
    const env = { dataDir: dir, LLM_BASE_URL: undefined, LLM_API_KEY: undefined, LLM_MODEL: undefined };
    expect(withActiveGeneration(env)).toBe(env);
    saveServerKey(dir, "remote-x", "sk-secret");
    saveActiveGeneration(dir, { baseUrl: "http://gpu-box:8000/v1", apiKey: readServerKey(dir, "remote-x"), model: "x", modelId: "remote-x" });
    expect(withActiveGeneration(env)).toMatchObject({ LLM_BASE_URL: "http://gpu-box:8000/v1", LLM_API_KEY: "sk-secret", LLM_MODEL: "x" });
    expect(fs.statSync(path.join(dir, "models", "generation.json")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, "models", "server-keys.json")).mode & 0o777).toBe(0o600);
    saveActiveGeneration(dir, undefined);
    expect(readActiveGeneration(dir)).toBeUndefined();
  });

  it("chooses a local GGUF model: the settings' server, asked for that model", () => {
    const env = { dataDir: dir, LLM_BASE_URL: "http://elsewhere:8000/v1", LLM_API_KEY: "k", LLM_MODEL: undefined };
    saveActiveGeneration(dir, { local: true, modelId: "qwen2.5-1.5b-instruct-q4km" });
    expect(withActiveGeneration(env)).toMatchObject({ LLM_BASE_URL: undefined, LLM_API_KEY: undefined, LLM_MODEL: "qwen2.5-1.5b-instruct-q4km" });
    expect(chosenLocalModel(dir)).toBe("qwen2.5-1.5b-instruct-q4km");
    saveActiveGeneration(dir, undefined);
    expect(chosenLocalModel(dir)).toBeUndefined();
  });

  it("records an embeddings server's model as an embedding entry", () => {
    const embedding = remoteModelEntry({ ...input, model: "BAAI/bge-small-en-v1.5", kind: "embedding", license: "MIT" });
    expect(embedding).toMatchObject({ id: "remote-baai-bge-small-en-v1.5", role: "embedding", format: "remote", served: { name: "BAAI/bge-small-en-v1.5" } });
    expect(embedding.kind).toBeUndefined();
  });
});
