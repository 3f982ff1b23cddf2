/**
 * Approvals made in Admin › Models live in Postgres; these helpers bind each
 * approval to the exact terms and files approved, so a later change to the
 * entry (new hash, new license) needs a new approval.
 */
import { createHash } from "node:crypto";
import type { Manifest, ModelEntry } from "./manifest-schema";

/** An approval given in Admin › Models, as stored in Postgres. */
import type { StoredApproval } from "@/db/queries/models";
export type { StoredApproval };

/** sha256 over the fields an approval vouches for: identity, files, license terms, lineage, locality. */
export function modelFingerprint(model: ModelEntry): string {
  const vouched = {
    id: model.id,
    role: model.role,
    format: model.format,
    source: model.source,
    files: model.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
    license: model.license,
    permits: model.permits ?? null,
    obligations: model.obligations ?? null,
    baseModel: model.baseModel ?? null,
    locality: model.locality,
  };
  return createHash("sha256").update(JSON.stringify(vouched)).digest("hex");
}

/**
 * A copy of the manifest with stored approvals applied to the entries they
 * still match; an approval whose fingerprint no longer matches is ignored.
 * When several match, the latest (by `at`) wins.
 */
export function applyApprovals(manifest: Manifest, approvals: readonly StoredApproval[]): Manifest {
  return {
    ...manifest,
    models: manifest.models.map((model) => {
      const fingerprint = modelFingerprint(model);
      const latest = approvals
        .filter((a) => a.modelId === model.id && a.fingerprint === fingerprint)
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
      return latest ? { ...model, approval: { by: latest.by, at: latest.at } } : model;
    }),
  };
}
