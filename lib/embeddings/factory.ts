/**
 * Picks the embedder from configuration:
 * - EMBEDDINGS_BASE_URL set → RemoteEmbedder (model EMBEDDINGS_MODEL, else EMBEDDER);
 * - EMBEDDER = "wink-sif-100d" (default) → StaticOnnxEmbedder, built on first use;
 * - any other EMBEDDER → TransformersEmbedder over `<MODELS_DIR>/<EMBEDDER>/`, or over
 *   the folder the manifest entry of that id keeps its files in ("BAAI/bge-small-en-v1.5").
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Env } from "@/lib/env";
import { loadManifest } from "@/lib/models/manifest";
import type { BuildLog } from "./build";
import { RemoteEmbedder } from "./remote";
import { TransformersEmbedder } from "./transformers";
import type { Embedder, EmbedderStatus } from "./types";
import { WINK_MODEL_ID } from "./wink-model";

export interface EmbedderConfig {
  /** EMBEDDER: "wink-sif-100d" or a transformer model folder name under modelsDir. */
  embedder: string;
  modelsDir: string;
  /** EMBED_BATCH */
  batchSize: number;
  remote?: { baseUrl: string; model?: string; apiKey?: string };
  /** Build the default model when it is missing (default true); false makes a missing model an error. */
  buildIfMissing?: boolean;
  log?: BuildLog;
  /** For tests of the remote embedder. */
  fetch?: typeof fetch;
}

/** The embedder settings from parsed env (callers pass getEnv()). */
export type EmbedderSettings = Pick<Env, "EMBEDDER" | "modelsDir" | "EMBED_BATCH" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">;

export function embedderConfigFromEnv(env: EmbedderSettings, log?: BuildLog): EmbedderConfig {
  return {
    embedder: env.EMBEDDER,
    modelsDir: env.modelsDir,
    batchSize: env.EMBED_BATCH,
    remote: env.EMBEDDINGS_BASE_URL
      ? { baseUrl: env.EMBEDDINGS_BASE_URL, model: env.EMBEDDINGS_MODEL, apiKey: env.EMBEDDINGS_API_KEY }
      : undefined,
    log,
  };
}

/** The served model's name: EMBEDDINGS_MODEL, else EMBEDDER unless that is still the offline default. */
function remoteModelName(config: EmbedderConfig): string | undefined {
  return config.remote?.model ?? (config.embedder !== WINK_MODEL_ID ? config.embedder : undefined);
}

/** The id the configuration asks for, known before loading (for status when loading fails). */
export function configuredEmbedderId(config: EmbedderConfig): string {
  return config.remote ? `remote:${remoteModelName(config) ?? "?"}` : config.embedder;
}

/** Builds the default model when it is missing (once, about 20 s) and buildIfMissing allows; other models are pulled, not built. */
export async function ensureModelFiles(config: EmbedderConfig): Promise<void> {
  if (config.remote || config.embedder !== WINK_MODEL_ID || config.buildIfMissing === false) return;
  // The builder reads 300 MB of JSON from node_modules; keep it out of bundles that never build.
  const { ensureDefaultEmbeddingModel } = await import("./build");
  await ensureDefaultEmbeddingModel(config.modelsDir, config.log);
}

/** Create the configured embedder; rejects with a message a person can act on. */
export async function createEmbedder(config: EmbedderConfig): Promise<Embedder> {
  if (config.remote) {
    const model = remoteModelName(config);
    if (!model) {
      throw new Error("EMBEDDINGS_BASE_URL is set but EMBEDDINGS_MODEL is not: set it to the name the embeddings server serves");
    }
    return RemoteEmbedder.connect({
      baseUrl: config.remote.baseUrl,
      model,
      apiKey: config.remote.apiKey,
      maxBatch: config.batchSize,
      fetch: config.fetch,
    });
  }
  if (config.embedder === WINK_MODEL_ID) {
    const dir = path.join(config.modelsDir, WINK_MODEL_ID);
    await ensureModelFiles(config);
    // Imported only when chosen: onnxruntime-node 1.30 must not share a process with the
    // older onnxruntime that transformers.js loads (itself imported lazily in ./transformers).
    const { StaticOnnxEmbedder } = await import("./static");
    return StaticOnnxEmbedder.load({ modelDir: dir, maxBatch: config.batchSize });
  }
  const modelId = transformerFolder(config.modelsDir, config.embedder);
  return TransformersEmbedder.load({ modelsDir: config.modelsDir, modelId, manifestId: config.embedder, maxBatch: config.batchSize });
}

/** Folder under modelsDir holding a transformer model: the id itself, else its manifest entry's common folder. */
export function transformerFolder(modelsDir: string, id: string): string {
  if (existsSync(path.join(modelsDir, id, "config.json"))) return id;
  const manifestFile = path.join(modelsDir, "manifest.json");
  if (!existsSync(manifestFile)) return id;
  const entry = loadManifest(manifestFile).models.find((m) => m.id === id);
  const dirs = entry?.files.map((f) => f.path.split("/").slice(0, -1)) ?? [];
  const first = dirs[0] ?? [];
  let n = 0;
  while (n < first.length && dirs.every((d) => d[n] === first[n])) n++;
  // "onnx/" is a sub-folder of the model, not the model folder itself.
  const shared = first.slice(0, n).filter((part, i, all) => !(part === "onnx" && i === all.length - 1));
  return shared.length > 0 && !shared.includes("..") ? shared.join("/") : id;
}

/** Health for /api/health from a loaded embedder or the error that loading it raised. */
export function getEmbedderStatus(result: Embedder | unknown, configuredId = "unknown"): EmbedderStatus {
  if (result && typeof result === "object" && "embed" in result && "dimensions" in result) {
    const e = result as Embedder;
    return { ok: true, id: e.id, kind: e.kind, dimensions: e.dimensions };
  }
  const message = result instanceof Error ? result.message : String(result ?? "embedder not loaded");
  return { ok: false, id: configuredId, message };
}
