/**
 * Wording of refusals. Every message names the model, the clause that failed
 * and what a person can do about it; tests assert them word for word.
 */
import type { ModelEntry, ModelFile, ModelLicense } from "./manifest-schema";
import type { FileCheck } from "./verify";

/** Stable codes of the rules a model can fail. */
export type DecisionClause =
  | "license-unknown"
  | "license-not-allowed"
  | "commercial-use"
  | "locality"
  | "base-missing"
  | "base-no-derivatives"
  | "adapter-license-conflict"
  | "base-refused"
  | "hash-unrecorded"
  | "file-missing"
  | "size-mismatch"
  | "hash-mismatch"
  | "file-unreadable"
  | "file-unverified"
  | "unapproved"
  | "disabled";

export interface DecisionProblem {
  clause: DecisionClause;
  message: string;
}

/** `Model "id" (role)`, or `Adapter "id"`. */
export function label(model: Pick<ModelEntry, "id" | "role">): string {
  return model.role === "adapter" ? `Adapter "${model.id}"` : `Model "${model.id}" (${model.role})`;
}

/** `MIT`, or `LicenseRef-llama3.2 (Llama 3.2 Community License Agreement)`. */
export function licenseLabel(license: NonNullable<ModelLicense>): string {
  return license.name && license.id.startsWith("LicenseRef-") ? `${license.id} (${license.name})` : license.id;
}

/** How to get a model's files back, from the manifest's `obtain` or its source. */
export function obtainHint(model: Pick<ModelEntry, "id" | "source" | "obtain">): string {
  if (model.obtain) return model.obtain;
  if (model.source.startsWith("hf:")) return `run \`npm run models:pull -- ${model.id}\``;
  if (model.source.startsWith("npm:")) return "run `npm run models:build`";
  return `copy it from ${model.source}`;
}

type FileClause = Extract<
  DecisionClause,
  "hash-unrecorded" | "file-missing" | "size-mismatch" | "hash-mismatch" | "file-unreadable" | "file-unverified"
>;

/** The refusal for one file of a model. */
export function fileProblem(model: ModelEntry, file: ModelFile, clause: FileClause, check: FileCheck | undefined): DecisionProblem {
  const who = `${label(model)} is refused`;
  const restore = `Fix: restore the original file (${obtainHint(model)}), or, if the new file is intended, record its sha256 and size in the manifest and approve the model again.`;
  switch (clause) {
    case "hash-unrecorded": {
      const seen =
        check?.actualSha256 !== undefined ? ` (the file on disk has sha256 ${check.actualSha256}, ${check.actualSize ?? 0} bytes)` : "";
      return {
        clause,
        message: `${who}: the sha256 of ${file.path} is not recorded in the manifest${seen}. Fix: get the file from its source (${obtainHint(model)}), check its provenance, then record its sha256 and size in the manifest.`,
      };
    }
    case "file-missing":
      return {
        clause,
        message: `${who}: its file ${file.path} is missing (looked for ${check?.absolutePath ?? file.path}). Fix: ${obtainHint(model)}.`,
      };
    case "size-mismatch":
      return {
        clause,
        message: `${who}: its file ${file.path} is ${check?.actualSize ?? "?"} bytes, but the manifest records ${file.size}. ${restore}`,
      };
    case "hash-mismatch":
      return {
        clause,
        message: `${who}: its file ${file.path} has sha256 ${check?.actualSha256 ?? "?"}, but the manifest records ${file.sha256}. ${restore}`,
      };
    case "file-unreadable":
      return {
        clause,
        message: `${who}: its file ${file.path} cannot be read (${check?.error ?? "unknown error"}). Fix: make the file readable by the Vouch process.`,
      };
    case "file-unverified":
      return {
        clause,
        message: `${who}: its file ${file.path} has not been verified. Fix: verify the model files (verifyModelFiles) before deciding; this is a bug in the caller.`,
      };
  }
}
