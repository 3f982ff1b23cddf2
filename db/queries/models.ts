/**
 * Approvals made in Admin › Models, and audit records of model files changing on
 * disk. Every change is written with its audit event in one transaction. (The
 * model policy's versions are in lib/models/policy-store, beside its schema.)
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { modelApprovals } from "../schema";
import { insertAuditEvent } from "./audit";
import { SYSTEM_ACTOR, type Actor } from "./users";

/** An approval of one manifest entry as it was (its fingerprint) when approved. */
export interface StoredApproval {
  modelId: string;
  /** modelFingerprint(entry) at the time of approval. */
  fingerprint: string;
  by: string;
  /** ISO 8601. */
  at: string;
}

/** Approvals given in Admin › Models, in the shape applyApprovals expects. */
export async function listModelApprovals(db: Database): Promise<StoredApproval[]> {
  const rows = await db.select().from(modelApprovals).orderBy(modelApprovals.modelId);
  return rows.map((r) => ({ modelId: r.modelId, fingerprint: r.fingerprint, by: r.approvedBy, at: r.approvedAt.toISOString() }));
}

/**
 * Record that `actor` approved the manifest entry `modelId` as it is now
 * (`fingerprint` = modelFingerprint(entry)); replaces an earlier approval of
 * the same model. Audited as "model.approve" in the same transaction.
 */
export async function approveModel(
  db: Database,
  input: { modelId: string; fingerprint: string; actor: Actor; details?: Record<string, unknown> },
): Promise<StoredApproval> {
  const approvedBy = input.actor.email ?? "unknown";
  return db.transaction(async (tx) => {
    const [previous] = await tx.select().from(modelApprovals).where(eq(modelApprovals.modelId, input.modelId)).for("update");
    const [row] = await tx
      .insert(modelApprovals)
      .values({ modelId: input.modelId, fingerprint: input.fingerprint, approvedBy, approvedAt: new Date() })
      .onConflictDoUpdate({
        target: modelApprovals.modelId,
        set: { fingerprint: input.fingerprint, approvedBy, approvedAt: sql`now()` },
      })
      .returning();
    await insertAuditEvent(tx, {
      actorId: input.actor.id,
      actorEmail: input.actor.email,
      action: "model.approve",
      target: input.modelId,
      details: {
        fingerprint: input.fingerprint,
        previous: previous ? { fingerprint: previous.fingerprint, by: previous.approvedBy, at: previous.approvedAt.toISOString() } : null,
        ...input.details,
      },
    });
    return { modelId: row!.modelId, fingerprint: row!.fingerprint, by: row!.approvedBy, at: row!.approvedAt.toISOString() };
  });
}

/** One model whose files changed on disk after start, for recordModelFilesChanged. */
export interface ModelFilesChangeRecord {
  modelId: string;
  files: { path: string; status: string; expectedSha256: string; actualSha256?: string; expectedSize: number; actualSize?: number }[];
  /** The model's decision after the change. */
  allowed: boolean;
  clause?: string;
  message?: string;
}

/** Audit "model.files_changed" (actor system), one event per model, in one transaction. */
export async function recordModelFilesChanged(db: Database, { changes }: { changes: ModelFilesChangeRecord[] }): Promise<void> {
  if (changes.length === 0) return;
  await db.transaction(async (tx) => {
    for (const change of changes) {
      await insertAuditEvent(tx, {
        actorId: SYSTEM_ACTOR.id,
        actorEmail: SYSTEM_ACTOR.email,
        action: "model.files_changed",
        target: change.modelId,
        details: { files: change.files, allowed: change.allowed, clause: change.clause ?? null, message: change.message ?? null },
      });
    }
  });
}
