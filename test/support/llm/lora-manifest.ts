/**
 * Temporary model manifests for LoRA tests: the stories260K generation entry plus
 * adapter entries on it, with real hashes and sizes, written beside their files.
 * Tests never edit models/manifest.json.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Manifest } from "@/lib/models/manifest";
import { entry } from "@/test/support/models";

export const BASE_MODEL_ID = "stories260k";

export interface AdapterEntryInput {
  id: string;
  file: string;
  enabled?: boolean;
  /** Defaults to the stories260K entry. */
  baseModel?: string;
}

/** Writes `<dir>/manifest.json` with the base model and `adapters`; returns the manifest file. */
export function writeLoraManifest(dir: string, modelPath: string, adapters: AdapterEntryInput[]): string {
  const fileEntry = (file: string) => {
    const bytes = readFileSync(file);
    return { path: path.relative(dir, file), sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
  };
  const manifest: Manifest = {
    version: 1,
    models: [
      entry({ id: BASE_MODEL_ID, source: "hf:karpathy/tinyllamas", files: [fileEntry(modelPath)] }),
      ...adapters.map((a) =>
        entry({
          id: a.id,
          role: "adapter",
          enabled: a.enabled ?? true,
          source: "./",
          baseModel: a.baseModel ?? BASE_MODEL_ID,
          files: [fileEntry(a.file)],
        }),
      ),
    ],
  };
  const file = path.join(dir, "manifest.json");
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}
