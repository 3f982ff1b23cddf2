/**
 * Hashes recorded when Admin › Models pulled a catalogue model whose manifest entry gives no
 * sha256 for some files. They wait in the data folder until an admin compares them with the
 * publisher's and approves them; until then the entry still says "unknown" and the model
 * cannot run. Approval writes the entry with those hashes to manifest.added.json (audited),
 * and the model policy and approval then decide, as for any model.
 */
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import type { Actor } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { readJsonFile, writeJsonFile } from "@/lib/json-file";
import { addedManifestFile, saveAddedModel, withRecordedHashes } from "./added";
import { modelEntrySchema, modelFileSchema, UNKNOWN_SHA256, type ModelEntry } from "./manifest-schema";
import type { ModelGate } from "./model-gate";
import { modelIdSchema } from "./schemas";

export const recordedHashesFile = (dataDir: string) => path.join(dataDir, "models", "hashes.recorded.json");

const recordedSchema = z.strictObject({
  /** The entry's source when the files were fetched; the hashes vouch for that source only. */
  source: z.string(),
  recordedAt: z.iso.datetime({ offset: true }),
  files: z.array(modelFileSchema).min(1),
});
export type RecordedHashes = z.infer<typeof recordedSchema>;

const fileSchema = z.strictObject({ version: z.literal(1), models: z.record(z.string(), recordedSchema) });

/** The recorded hashes waiting for approval, by model id; none when the file does not exist. */
export function readRecordedHashes(file: string): Record<string, RecordedHashes> {
  return readJsonFile(file, fileSchema)?.models ?? {};
}

/** Records (or, with undefined, drops) one model's hashes. */
export function saveRecordedHashes(file: string, modelId: string, recorded: RecordedHashes | undefined): void {
  const models = Object.fromEntries(Object.entries({ ...readRecordedHashes(file), [modelId]: recorded }).filter(([, r]) => r !== undefined));
  writeJsonFile(file, { version: 1, models });
}

export const approveHashesBodySchema = z.strictObject({
  modelId: modelIdSchema,
  /** The hashes as the admin saw them; a pull that recorded others since makes the approval a 409. */
  files: z.array(z.strictObject({ path: z.string().min(1).max(1000), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0) })).min(1).max(1000),
});
export type ApproveHashes = z.infer<typeof approveHashesBodySchema>;

/** Approve the hashes a pull recorded for `modelId` (audited): the entry with them goes to manifest.added.json and the gate re-reads it. */
export async function approveRecordedHashes(db: Database, gate: ModelGate, actor: Actor, dataDir: string, input: ApproveHashes): Promise<ModelEntry> {
  const file = recordedHashesFile(dataDir);
  const recorded = readRecordedHashes(file)[input.modelId];
  const entry = gate.status().manifest?.models.find((m) => m.id === input.modelId);
  if (!recorded || !entry) throw new AppError("not_found:models", `No recorded hashes of "${input.modelId}" are waiting for approval.`);
  if (!isDeepStrictEqual(recorded.files, input.files)) {
    throw new AppError("conflict:models", `The hashes recorded for "${entry.id}" changed since you opened the page. Reload it and compare them again.`);
  }
  const approved = withRecordedHashes(entry, recorded.files);
  if (recorded.source !== entry.source || isDeepStrictEqual(approved, entry) || approved.files.some((f) => f.sha256 === UNKNOWN_SHA256)) {
    // The manifest entry changed under the recording (another source, pinned hashes, other files): the record no longer fits.
    saveRecordedHashes(file, entry.id, undefined);
    throw new AppError("conflict:models", `The manifest entry of "${entry.id}" changed since its files were downloaded; download it again.`);
  }
  saveAddedModel(addedManifestFile(dataDir), modelEntrySchema.parse(approved));
  saveRecordedHashes(file, entry.id, undefined);
  await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: "model.hashes.approve", target: entry.id, details: { source: recorded.source, files: recorded.files } });
  await gate.reloadManifest();
  return approved;
}
