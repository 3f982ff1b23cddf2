/**
 * Small manifest entries for tests: a permissive, approved, enabled GGUF model
 * with one recorded file. Tests override what each case is about.
 */
import fs from "node:fs";
import path from "node:path";
import type { Manifest, ModelEntry } from "../../lib/models/manifest-schema";
import type { FileCheck } from "../../lib/models/verify";

export const PERMISSIVE = {
  commercialUse: true,
  modification: true,
  redistributionOfWeights: true,
  redistributionOfDerivatives: true,
} as const;

/** The real test model the repository keeps (stories260K, MIT): loads, tokenises and generates in seconds. */
export const TEST_MODEL_PATH = path.resolve(import.meta.dirname, "../../models/stories260K.gguf");

export const SHA_A = "a".repeat(64);
export const SHA_B = "b".repeat(64);

/** A valid, allowed entry under the default policy; `overrides` replace whole fields. */
export function entry(overrides: Partial<ModelEntry> & { id: string }): ModelEntry {
  return {
    role: "generation",
    format: "gguf",
    enabled: true,
    source: "hf:example/model",
    files: [{ path: `${overrides.id}.gguf`, sha256: SHA_A, size: 10 }],
    license: { id: "MIT" },
    permits: { ...PERMISSIVE },
    obligations: { attribution: `${overrides.id} by Example, MIT License.`, useRestrictions: [] },
    locality: "any",
    approval: { by: "admin@example.com", at: "2026-11-01T10:00:00Z" },
    card: {
      name: overrides.id,
      description: "A test model.",
      intendedUse: "Tests.",
      limitations: [],
      languages: [],
      datasets: [],
      ethicalConsiderations: [],
    },
    ...overrides,
  };
}

export function manifestOf(...models: ModelEntry[]): Manifest {
  return { version: 1, models };
}

/** The check verifyModelFiles would report for each file of `manifest` when all are intact. */
export function okChecks(manifest: Manifest, dir = "/models"): FileCheck[] {
  return manifest.models.flatMap((m) =>
    m.files.map((f) => ({
      modelId: m.id,
      path: f.path,
      absolutePath: `${dir}/${f.path}`,
      status: "ok" as const,
      expectedSha256: f.sha256,
      expectedSize: f.size,
      actualSha256: f.sha256,
      actualSize: f.size,
    })),
  );
}

/**
 * The shipped manifest with its file paths made absolute (so it can live in any folder) and
 * `extra` entries added, written to `dir/manifest.json`; returns its path, for MODELS_MANIFEST.
 */
export function writeShippedManifestWith(dir: string, extra: readonly object[]): string {
  const modelsDir = path.resolve(import.meta.dirname, "../../models");
  const shipped = JSON.parse(fs.readFileSync(path.join(modelsDir, "manifest.json"), "utf8")) as { models: object[] };
  for (const m of shipped.models as { files: { path: string }[] }[]) for (const f of m.files) f.path = path.resolve(modelsDir, f.path);
  shipped.models.push(...extra);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "manifest.json");
  fs.writeFileSync(file, JSON.stringify(shipped, null, 2));
  return file;
}
