import { describe, expect, it } from "vitest";
import { entry, manifestOf } from "@/test/support/models";
import { ModelFileError } from "./gguf-check";
import { resolveGenerationModelPath } from "./model-path";

const manifest = manifestOf(
  entry({ id: "off", enabled: false }),
  entry({ id: "embedder", role: "embedding", format: "onnx", files: [{ path: "e/model.onnx", sha256: "a".repeat(64), size: 1 }] }),
  entry({ id: "qwen", files: [{ path: "gguf/qwen.gguf", sha256: "a".repeat(64), size: 1 }] }),
  entry({ id: "qwen-legal", role: "adapter", baseModel: "qwen", files: [{ path: "lora/legal.gguf", sha256: "b".repeat(64), size: 1 }] }),
  entry({ id: "qwen-old", role: "adapter", baseModel: "qwen", enabled: false }),
  entry({ id: "other-lora", role: "adapter", baseModel: "off" }),
);

describe("resolveGenerationModelPath", () => {
  it("takes the first enabled GGUF generation model, with its enabled adapters", () => {
    expect(resolveGenerationModelPath({ manifest, manifestDir: "/srv/models" })).toEqual({
      id: "qwen",
      path: "/srv/models/gguf/qwen.gguf",
      adapters: [{ id: "qwen-legal", path: "/srv/models/lora/legal.gguf" }],
    });
  });

  it("leaves out the adapters it is told to skip (those the model policy refuses)", () => {
    expect(resolveGenerationModelPath({ manifest, manifestDir: "/srv/models", skipAdapters: ["qwen-legal"] }).adapters).toEqual([]);
    expect(resolveGenerationModelPath({ manifest, manifestDir: "/srv/models", skipAdapters: ["other-lora"] }).adapters).toHaveLength(1);
  });

  it("prefers LLM_MODEL_PATH, named after its manifest entry when it has one", () => {
    expect(resolveGenerationModelPath({ modelPath: "/srv/models/off.gguf", manifest, manifestDir: "/srv/models" })).toEqual({
      id: "off",
      path: "/srv/models/off.gguf",
      adapters: [{ id: "other-lora", path: "/srv/models/other-lora.gguf" }],
    });
    expect(resolveGenerationModelPath({ modelPath: "/tmp/My-Model.Q4.gguf", manifestDir: "/srv/models" })).toEqual({
      id: "My-Model.Q4",
      path: "/tmp/My-Model.Q4.gguf",
      adapters: [],
    });
  });

  it("says what to do when no local model is enabled", () => {
    const none = manifestOf(entry({ id: "off", enabled: false }));
    expect(() => resolveGenerationModelPath({ manifest: none, manifestDir: "/m" })).toThrow(ModelFileError);
    expect(() => resolveGenerationModelPath({ manifest: none, manifestDir: "/m" })).toThrow(
      "No local generation model: enable a GGUF generation model in models/manifest.json, set LLM_MODEL_PATH, or set LLM_BASE_URL to use another server.",
    );
  });

  it("takes the model an admin chose, never another when that one is not enabled", () => {
    const two = manifestOf(...manifest.models, entry({ id: "llama", files: [{ path: "gguf/llama.gguf", sha256: "a".repeat(64), size: 1 }] }));
    expect(resolveGenerationModelPath({ manifest: two, manifestDir: "/m", chosen: "llama" })).toMatchObject({ id: "llama", path: "/m/gguf/llama.gguf" });
    expect(() => resolveGenerationModelPath({ manifest: two, manifestDir: "/m", chosen: "off" })).toThrow(
      'The model chosen to write answers in Admin › Models, "off", is not an enabled GGUF generation model; choose another there.',
    );
  });
});
