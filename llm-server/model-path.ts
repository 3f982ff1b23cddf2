import path from "node:path";
import type { Manifest, ModelEntry } from "@/lib/models/manifest";
import { ModelFileError } from "./gguf-check";

/** The GGUF the local server loads, the id it answers to, and its LoRA adapters. */
export interface ResolvedGenerationModel {
  id: string;
  path: string;
  adapters: { id: string; path: string }[];
}

export interface ResolveGenerationModelInput {
  /** LLM_MODEL_PATH; wins over the manifest when set. */
  modelPath?: string;
  manifest?: Manifest;
  /** Folder holding manifest.json; file paths in the manifest are relative to it. */
  manifestDir: string;
  /** Adapter ids not to load although enabled: `npm start` passes those the model policy refuses. */
  skipAdapters?: readonly string[];
  /** The model an admin chose in Admin › Models (DATA_DIR/models/generation.json); wins over the manifest's order. */
  chosen?: string;
}

/**
 * Picks the generation model: LLM_MODEL_PATH if set (named after its manifest entry when it has one),
 * else the one an admin chose, else the first enabled GGUF generation model in the manifest. Throws ModelFileError when there is none.
 */
export function resolveGenerationModelPath(input: ResolveGenerationModelInput): ResolvedGenerationModel {
  const generation = (input.manifest?.models ?? []).filter((m) => m.role === "generation" && m.format === "gguf");
  if (input.modelPath) {
    const file = path.resolve(input.modelPath);
    const entry = generation.find((m) => ggufPath(m, input.manifestDir) === file);
    const id = entry?.id ?? path.basename(file).replace(/\.gguf$/i, "");
    return { id, path: file, adapters: entry ? adaptersFor(entry.id, input) : [] };
  }
  const entry = input.chosen ? generation.find((m) => m.id === input.chosen && m.enabled) : generation.find((m) => m.enabled);
  if (input.chosen && !entry) {
    throw new ModelFileError(`The model chosen to write answers in Admin › Models, "${input.chosen}", is not an enabled GGUF generation model; choose another there.`);
  }
  const file = entry && ggufPath(entry, input.manifestDir);
  if (!entry || !file) {
    throw new ModelFileError(
      "No local generation model: enable a GGUF generation model in models/manifest.json, set LLM_MODEL_PATH, or set LLM_BASE_URL to use another server.",
    );
  }
  return { id: entry.id, path: file, adapters: adaptersFor(entry.id, input) };
}

function adaptersFor(baseId: string, input: ResolveGenerationModelInput): ResolvedGenerationModel["adapters"] {
  return (input.manifest?.models ?? [])
    .filter((m) => m.role === "adapter" && m.enabled && m.baseModel === baseId && !input.skipAdapters?.includes(m.id))
    .flatMap((m) => {
      const file = ggufPath(m, input.manifestDir);
      return file ? [{ id: m.id, path: file }] : [];
    });
}

function ggufPath(entry: ModelEntry, manifestDir: string): string | undefined {
  const file = entry.files.find((f) => /\.gguf$/i.test(f.path)) ?? entry.files[0];
  return file && path.resolve(manifestDir, file.path);
}
