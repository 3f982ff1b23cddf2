/**
 * The model policy (versioned rows of kind "models") and approvals made in
 * Admin › Models. Every change is written with its audit event in one transaction.
 */
import { eq, sql } from "drizzle-orm";
import type { StoredApproval } from "@/lib/models/approval";
import { policySchema, type Policy } from "@/lib/models/policy";
import type { FileCheck } from "@/lib/models/verify";
import type { Database } from "../client";
import { modelApprovals } from "../schema";
import { insertAuditEvent } from "./audit";
import { SYSTEM_ACTOR, type Actor } from "./users";
import { versionedPolicy, type StoredPolicy } from "./versioned-policy";

/** Serialises writers of the models policy so two saves never pick the same version. */
const MODEL_POLICY_LOCK = 727010;

/** One version of the model policy as stored. */
export type StoredModelPolicy = StoredPolicy<Policy>;

/** A save was based on a version that is no longer the latest. */
export class ModelPolicyConflictError extends Error {
  constructor(readonly latestVersion: number) {
    super(`The model policy was changed by someone else (now version ${latestVersion}). Reload the page, review the change and try again.`);
    this.name = "ModelPolicyConflictError";
  }
}

const store = versionedPolicy<Policy>({
  kind: "models",
  schema: policySchema,
  lock: MODEL_POLICY_LOCK,
  label: "Model policy",
  conflict: (latest) => new ModelPolicyConflictError(latest),
});

/**
 * The latest model policy. When none is stored yet, `seed` (usually
 * policyFromConfig(getEnv())) becomes version 1, audited as "policy.models.seed".
 */
export function getCurrentModelPolicy(db: Database, { seed }: { seed: Policy }): Promise<StoredModelPolicy> {
  return store.current(db, seed, { from: "configuration (POLICY_USE, POLICY_ALLOWED_LICENSES, POLICY_LOCALITY)" });
}

/** Every stored version, newest first (for the policy history). */
export async function listModelPolicyVersions(db: Database, { limit = 20 }: { limit?: number } = {}): Promise<StoredModelPolicy[]> {
  return (await store.rows(db, limit)).map(store.toStored);
}

/**
 * Store `policy` as the next version, audited as "policy.models.update" with
 * before and after. With `baseVersion`, refuses (ModelPolicyConflictError) when
 * someone saved another version since the editor loaded that one.
 */
export function saveModelPolicy(db: Database, input: { policy: Policy; actor: Actor; baseVersion?: number; details?: Record<string, unknown> }): Promise<StoredModelPolicy> {
  return store.save(db, input);
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
  files: Pick<FileCheck, "path" | "status" | "expectedSha256" | "actualSha256" | "expectedSize" | "actualSize">[];
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
