/**
 * Models an admin enabled in Admin › Models: a catalogue model downloaded, verified and
 * approved there is enabled there too, without editing the committed manifest. Kept in the
 * data folder beside the added models; the gate lays it over the manifest it reads.
 */
import path from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "@/lib/json-file";
import type { Manifest } from "./manifest-schema";

export const enabledModelsFile = (dataDir: string) => path.join(dataDir, "models", "enabled.json");

const enabledSchema = z.record(z.string(), z.literal(true));

/** The ids enabled in the browser; none when the file does not exist. */
export function readEnabledModels(file: string): string[] {
  return Object.keys(readJsonFile(file, enabledSchema) ?? {});
}

export function saveEnabledModel(file: string, modelId: string, enabled = true): void {
  const ids = [...new Set([...readEnabledModels(file), modelId])].filter((id) => enabled || id !== modelId).sort();
  writeJsonFile(file, Object.fromEntries(ids.map((id) => [id, true])));
}

/** `manifest` with the entries in `ids` enabled. */
export function withEnabledModels(manifest: Manifest, ids: readonly string[]): Manifest {
  return { ...manifest, models: manifest.models.map((m) => (ids.includes(m.id) && !m.enabled ? { ...m, enabled: true } : m)) };
}
