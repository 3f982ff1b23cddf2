/**
 * Models an admin adds in the browser (Admin › Models › Connect a server). They live in
 * the data folder, beside the reviewed and committed models/manifest.json, which stays
 * as it is; the gate reads both, and an added model is governed like any other.
 */
import fs from "node:fs";
import path from "node:path";
import { manifestSchema, type Manifest, type ModelEntry } from "./manifest-schema";

export const addedManifestFile = (dataDir: string) => path.join(dataDir, "models", "manifest.added.json");

/** The added entries; none when the file does not exist. Throws on a file that does not validate. */
export function readAddedModels(file: string): ModelEntry[] {
  if (!fs.existsSync(file)) return [];
  return manifestSchema.parse(JSON.parse(fs.readFileSync(file, "utf8"))).models;
}

/** The committed manifest with the added entries after it; an added id may not shadow a committed one. */
export function withAddedModels(committed: Manifest, added: readonly ModelEntry[]): Manifest {
  const clash = added.find((a) => committed.models.some((c) => c.id === a.id));
  if (clash) throw new Error(`The model "${clash.id}" added in Admin › Models has the id of an entry in the committed manifest; remove it from manifest.added.json in the data folder.`);
  return { ...committed, models: [...committed.models, ...added] };
}

/** Adds (or replaces, by id) one entry, written whole to a temporary file first so a reader never sees half a file. */
export function saveAddedModel(file: string, entry: ModelEntry): void {
  const models = [...readAddedModels(file).filter((m) => m.id !== entry.id), entry];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ version: 1, models }, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
