/**
 * Which server writes answers, when an admin chose it in Admin › Models: kept in the data
 * folder (the key with it, so the file is readable by this user only) and laid over the
 * LLM_BASE_URL / LLM_API_KEY / LLM_MODEL settings. Without the file, the settings decide.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Env } from "@/lib/env";
import { readJsonFile, writeJsonFile } from "@/lib/json-file";

const activeSchema = z.union([
  /** A model on another OpenAI-compatible server. */
  z.strictObject({ baseUrl: z.url(), apiKey: z.string().optional(), model: z.string().min(1), modelId: z.string().min(1) }),
  /** A GGUF model the local model server loads instead of the manifest's first enabled one. */
  z.strictObject({ local: z.literal(true), modelId: z.string().min(1) }),
]);
export type ActiveGeneration = z.infer<typeof activeSchema>;

export const activeGenerationFile = (dataDir: string) => path.join(dataDir, "models", "generation.json");

export function readActiveGeneration(dataDir: string): ActiveGeneration | undefined {
  return readJsonFile(activeGenerationFile(dataDir), activeSchema);
}

/** Saves the choice (or removes it with undefined: back to the settings). */
export function saveActiveGeneration(dataDir: string, active: ActiveGeneration | undefined): void {
  const file = activeGenerationFile(dataDir);
  if (!active) return fs.rmSync(file, { force: true });
  writeJsonFile(file, activeSchema.parse(active), { mode: 0o600 });
}

type GenerationSettings = Pick<Env, "dataDir" | "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL">;

/** `env` with the admin's choice of answering server laid over its LLM settings. */
export function withActiveGeneration<T extends GenerationSettings>(env: T): T {
  const active = readActiveGeneration(env.dataDir);
  if (!active) return env;
  if ("local" in active) return { ...env, LLM_BASE_URL: undefined, LLM_API_KEY: undefined, LLM_MODEL: active.modelId };
  return { ...env, LLM_BASE_URL: active.baseUrl, LLM_API_KEY: active.apiKey, LLM_MODEL: active.model };
}

/** The local GGUF model an admin chose to write answers, if any (the local model server follows it). */
export function chosenLocalModel(dataDir: string): string | undefined {
  const active = readActiveGeneration(dataDir);
  return active && "local" in active ? active.modelId : undefined;
}

const keysFile = (dataDir: string) => path.join(dataDir, "models", "server-keys.json");
const keysSchema = z.record(z.string(), z.string());

/** The API key given when a model was connected, by manifest id; kept apart from the manifest, readable by this user only. */
export function saveServerKey(dataDir: string, modelId: string, apiKey: string | undefined): void {
  const file = keysFile(dataDir);
  const keys = readJsonFile(file, keysSchema) ?? {};
  if (apiKey) keys[modelId] = apiKey;
  else delete keys[modelId];
  writeJsonFile(file, keys, { mode: 0o600 });
}

export function readServerKey(dataDir: string, modelId: string): string | undefined {
  return readJsonFile(keysFile(dataDir), keysSchema)?.[modelId];
}
