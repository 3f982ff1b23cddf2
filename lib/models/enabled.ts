/**
 * Models an admin enabled in Admin › Models: a catalogue model downloaded, verified and
 * approved there is enabled there too, without editing the committed manifest. Kept in the
 * data folder beside the added models; the gate lays it over the manifest it reads.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Manifest } from "./manifest-schema";

export const enabledModelsFile = (dataDir: string) => path.join(dataDir, "models", "enabled.json");

const enabledSchema = z.record(z.string(), z.literal(true));

/** The ids enabled in the browser; none when the file does not exist. */
export function readEnabledModels(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return Object.keys(enabledSchema.parse(JSON.parse(fs.readFileSync(file, "utf8"))));
}

export function saveEnabledModel(file: string, modelId: string, enabled = true): void {
  const ids = [...new Set([...readEnabledModels(file), modelId])].filter((id) => enabled || id !== modelId).sort();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(ids.map((id) => [id, true])), null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** `manifest` with the entries in `ids` enabled. */
export function withEnabledModels(manifest: Manifest, ids: readonly string[]): Manifest {
  return { ...manifest, models: manifest.models.map((m) => (ids.includes(m.id) && !m.enabled ? { ...m, enabled: true } : m)) };
}
