/**
 * Models an admin adds in the browser (Admin › Models › Connect a server), and the hashes an
 * admin approved for catalogue files the committed entry has none for. They live in the data
 * folder, beside the reviewed and committed models/manifest.json, which stays as it is; the
 * gate reads both, and an added model is governed like any other.
 */
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readJsonFile, writeJsonFile } from "@/lib/json-file";
import { manifestSchema, UNKNOWN_SHA256, type Manifest, type ModelEntry, type ModelFile } from "./manifest-schema";
import { isRecordedSha256 } from "./verify";

export const addedManifestFile = (dataDir: string) => path.join(dataDir, "models", "manifest.added.json");

/** The added entries; none when the file does not exist. Throws on a file that does not validate. */
export function readAddedModels(file: string): ModelEntry[] {
  return readJsonFile(file, manifestSchema)?.models ?? [];
}

/**
 * The committed manifest with the added entries after it. An added entry may take a committed
 * id only to give the sha256 and size of files the committed entry leaves "unknown" (hashes
 * recorded at download and approved in Admin › Models); anything else it changed would let
 * the data folder rewrite a reviewed entry, so it is refused.
 */
export function withAddedModels(committed: Manifest, added: readonly ModelEntry[]): Manifest {
  const models = [...committed.models];
  for (const entry of added) {
    const at = committed.models.findIndex((c) => c.id === entry.id);
    if (at < 0) models.push(entry);
    else if (recordsHashesOf(committed.models[at]!, entry)) models[at] = entry;
    else {
      throw new Error(
        `The model "${entry.id}" added in Admin › Models has the id of an entry in the committed manifest and changes more than the hashes of its files recorded as "unknown" (or that entry changed since); remove it from manifest.added.json in the data folder.`,
      );
    }
  }
  return { ...committed, models };
}

/** `entry` with `recorded` hashes (matched by path) for the files it leaves "unknown"; everything else as it is. */
export function withRecordedHashes(entry: ModelEntry, recorded: readonly ModelFile[]): ModelEntry {
  const files = entry.files.map((f) => {
    const r = f.sha256 === UNKNOWN_SHA256 ? recorded.find((x) => x.path === f.path && isRecordedSha256(x.sha256)) : undefined;
    return r ? { ...f, sha256: r.sha256, size: r.size } : f;
  });
  return { ...entry, files };
}

/** Whether `added` is `committed` with hashes recorded for some of its "unknown" files, and nothing else changed. */
export function recordsHashesOf(committed: ModelEntry, added: ModelEntry): boolean {
  const filled = withRecordedHashes(committed, added.files);
  return isDeepStrictEqual(filled, added) && !isDeepStrictEqual(filled, committed);
}

/** Adds (or replaces, by id) one entry. */
export function saveAddedModel(file: string, entry: ModelEntry): void {
  writeJsonFile(file, { version: 1, models: [...readAddedModels(file).filter((m) => m.id !== entry.id), entry] });
}
