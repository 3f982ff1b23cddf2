/** Installation-wide switches an admin sets, kept in app_state; each change is audited in the same transaction. */
import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { appState } from "../schema";
import { insertAuditEvent } from "./audit";
import type { Actor } from "./users";

const SELF_REVIEW = "review.allow_self_review";

/**
 * Separation of duties: whoever asked a held question cannot decide on its answer, unless an
 * admin allows it (a team with one reviewer). Off until set.
 */
export async function isSelfReviewAllowed(db: Database): Promise<boolean> {
  const [row] = await db.select({ value: appState.value }).from(appState).where(eq(appState.key, SELF_REVIEW));
  return (row?.value as { allowed?: boolean } | undefined)?.allowed === true;
}

export async function setSelfReviewAllowed(db: Database, input: { allowed: boolean; actor: Actor }): Promise<void> {
  await db.transaction(async (tx) => {
    const value = { allowed: input.allowed };
    await tx.insert(appState).values({ key: SELF_REVIEW, value }).onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: new Date() } });
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action: "settings.self_review", target: SELF_REVIEW, details: value });
  });
}

const RETENTION = "turns.retention";

/** How long turn records keep their question and answer texts, and whether they keep them at all. */
export interface Retention {
  /** Texts are purged (hashes kept) from records older than this. */
  days: number;
  /** false: records keep only the hashes of questions and answers from the start. */
  keepTexts: boolean;
}

export const DEFAULT_RETENTION: Retention = { days: 365, keepTexts: true };

export async function getRetention(db: Database): Promise<Retention> {
  const [row] = await db.select({ value: appState.value }).from(appState).where(eq(appState.key, RETENTION));
  return { ...DEFAULT_RETENTION, ...((row?.value as Partial<Retention> | undefined) ?? {}) };
}

export async function setRetention(db: Database, input: Retention & { actor: Actor }): Promise<void> {
  await db.transaction(async (tx) => {
    const value: Retention = { days: input.days, keepTexts: input.keepTexts };
    await tx.insert(appState).values({ key: RETENTION, value }).onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: new Date() } });
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action: "settings.retention", target: RETENTION, details: { ...value } });
  });
}
