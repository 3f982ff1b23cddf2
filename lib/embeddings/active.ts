/**
 * Which model embeds, when an admin switched it in Admin › Models: kept in the data folder
 * and laid over the EMBEDDER / EMBEDDINGS_* settings, so the web servers and ingest workers
 * that share the folder all use it. Written only once the knowledge bases are embedded
 * with the new model; without the file, the settings decide.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Env } from "@/lib/env";
import { writeJsonFile } from "@/lib/json-file";
import { readServerKey } from "@/lib/llm/active";

const activeSchema = z.strictObject({
  /** The manifest entry. */
  modelId: z.string().min(1),
  /** EMBEDDER: the local model's id, or the served name on a remote server. */
  embedder: z.string().min(1),
  /** EMBEDDINGS_BASE_URL, for a model on another server. */
  baseUrl: z.url().optional(),
});
export type ActiveEmbedding = z.infer<typeof activeSchema>;

export const activeEmbeddingFile = (dataDir: string) => path.join(dataDir, "models", "embedding.json");

export function readActiveEmbedding(dataDir: string): ActiveEmbedding | undefined {
  const text = readChoice(dataDir);
  return text ? activeSchema.parse(JSON.parse(text)) : undefined;
}

/** The file's text ("" without it): cheap to compare, to notice another process's switch. */
export function readChoice(dataDir: string): string {
  try {
    return fs.readFileSync(activeEmbeddingFile(dataDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

export function saveActiveEmbedding(dataDir: string, active: ActiveEmbedding): void {
  writeJsonFile(activeEmbeddingFile(dataDir), activeSchema.parse(active));
}

export type EmbeddingEnv = Pick<Env, "dataDir" | "EMBEDDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">;

/** `env` with `active` (default: the data folder's choice) laid over its embedding settings. */
export function withActiveEmbedding<T extends EmbeddingEnv>(env: T, active = readActiveEmbedding(env.dataDir)): T {
  if (!active) return env;
  const remote = active.baseUrl
    ? { EMBEDDINGS_BASE_URL: active.baseUrl, EMBEDDINGS_MODEL: active.embedder, EMBEDDINGS_API_KEY: readServerKey(env.dataDir, active.modelId) }
    : { EMBEDDINGS_BASE_URL: undefined, EMBEDDINGS_MODEL: undefined, EMBEDDINGS_API_KEY: undefined };
  return { ...env, EMBEDDER: active.embedder, ...remote };
}
