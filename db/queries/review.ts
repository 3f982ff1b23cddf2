/**
 * The review queue. Every state change runs in one transaction with its audit
 * event, and is conditional on the state it expects, so when two reviewers act
 * on one item exactly one succeeds.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import { messages, reviewItems, users } from "../schema";
import { insertAuditEvent } from "./audit";
import type { Actor } from "./users";
import { recordRoutingLabel } from "./routing-labels";
import { reviewTurnRecord } from "./turn-records";

export type ReviewItem = typeof reviewItems.$inferSelect;
export type ReviewStatus = ReviewItem["status"];

/** Holds an answer: the message becomes "held" and a pending item is created, in one transaction. */
export async function createReviewItem(
  db: Database,
  input: { messageId: string; agentId: string; agentEmail: string; kbIds: string[]; question: string; draft: string; topic: string | null; reasons: unknown[]; severity: number },
): Promise<ReviewItem> {
  return db.transaction(async (tx) => {
    const [item] = await tx
      .insert(reviewItems)
      .values({ messageId: input.messageId, agentId: input.agentId, kbIds: input.kbIds, question: input.question, draft: input.draft, topic: input.topic, reasons: input.reasons, severity: input.severity })
      .returning();
    await tx.update(messages).set({ status: "held" }).where(eq(messages.id, input.messageId));
    await insertAuditEvent(tx, {
      actorId: input.agentId,
      actorEmail: input.agentEmail,
      action: "review.hold",
      target: item!.id,
      details: { messageId: input.messageId, topic: input.topic, reasons: input.reasons },
    });
    return item!;
  });
}

export class ReviewConflictError extends Error {}

function claimable(now: Date, reviewerId: string): SQL {
  return or(isNull(reviewItems.claimedBy), eq(reviewItems.claimedBy, reviewerId), lt(reviewItems.claimExpiresAt, now))!;
}

/** Separation of duties: unless allowed, a reviewer cannot act on the answer to their own question. */
interface SelfReview {
  /** Whether the admin setting lets the asker decide (default false). */
  allowSelfReview?: boolean;
}

const notOwnQuestion = (reviewerId: string, input: SelfReview) => (input.allowSelfReview ? undefined : ne(reviewItems.agentId, reviewerId));

/** Marks audit events where the asker acted on their own question, which the setting allowed. */
const selfReviewMark = (item: ReviewItem, reviewerId: string) => (item.agentId === reviewerId ? { selfReview: true } : {});

/** Locks a pending item for one reviewer; fails with a clear message when another reviewer holds it. */
export async function claimReviewItem(db: Database, input: { id: string; reviewer: Actor & { id: string }; lockMinutes: number } & SelfReview): Promise<ReviewItem> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [item] = await tx
      .update(reviewItems)
      .set({ claimedBy: input.reviewer.id, claimExpiresAt: new Date(now.getTime() + input.lockMinutes * 60_000) })
      .where(and(eq(reviewItems.id, input.id), eq(reviewItems.status, "pending"), claimable(now, input.reviewer.id), notOwnQuestion(input.reviewer.id, input)))
      .returning();
    if (!item) throw new ReviewConflictError(await whyNot(tx as unknown as Database, input.id, input.reviewer.id));
    const details = { until: item.claimExpiresAt, ...selfReviewMark(item, input.reviewer.id) };
    await insertAuditEvent(tx, { actorId: input.reviewer.id, actorEmail: input.reviewer.email, action: "review.claim", target: item.id, details });
    return item;
  });
}

export async function releaseReviewClaim(db: Database, input: { id: string; reviewer: Actor & { id: string } }): Promise<void> {
  await db.transaction(async (tx) => {
    const [item] = await tx
      .update(reviewItems)
      .set({ claimedBy: null, claimExpiresAt: null })
      .where(and(eq(reviewItems.id, input.id), eq(reviewItems.status, "pending"), eq(reviewItems.claimedBy, input.reviewer.id)))
      .returning();
    if (item) await insertAuditEvent(tx, { actorId: input.reviewer.id, actorEmail: input.reviewer.email, action: "review.release", target: item.id, details: {} });
  });
}

export const OWN_QUESTION =
  "You asked this question, so another reviewer must decide on its answer (separation of duties). An admin can allow this for small teams in Admin › Review policy.";

async function whyNot(db: Database, id: string, reviewerId: string): Promise<string> {
  const [row] = await db.select({ item: reviewItems, holder: users.name }).from(reviewItems).leftJoin(users, eq(users.id, reviewItems.claimedBy)).where(eq(reviewItems.id, id));
  if (!row) return "That review item does not exist.";
  if (row.item.status !== "pending") return `This item was already ${row.item.status} by another reviewer.`;
  if (row.item.agentId === reviewerId) return OWN_QUESTION;
  if (row.item.claimedBy && row.item.claimedBy !== reviewerId) return `${row.holder ?? "Another reviewer"} is reviewing this item (locked until ${row.item.claimExpiresAt?.toISOString().slice(11, 16)} UTC).`;
  return "Claim this item before acting on it.";
}

export type ReviewDecision =
  | { kind: "approve" }
  | { kind: "edit"; text: string; diff: string }
  | { kind: "reject"; note: string };

/**
 * Approves, edits or rejects a pending item the reviewer has claimed. The
 * update is conditional on (pending, claimed by this reviewer, lock valid), so
 * a second decision on the same item changes nothing and gets a clear message.
 */
export async function decideReviewItem(
  db: Database,
  input: { id: string; reviewer: Actor & { id: string }; decision: ReviewDecision; /** The reviewer's word on routing (default: it needed review). */ neededReview?: boolean } & SelfReview,
): Promise<ReviewItem> {
  const neededReview = input.neededReview ?? true;
  return db.transaction(async (tx) => {
    const now = new Date();
    const d = input.decision;
    const status: ReviewStatus = d.kind === "approve" ? "approved" : d.kind === "edit" ? "edited" : "rejected";
    const [before] = await tx.select().from(reviewItems).where(eq(reviewItems.id, input.id));
    const [item] = await tx
      .update(reviewItems)
      .set({
        status,
        decidedBy: input.reviewer.id,
        decidedAt: now,
        finalText: d.kind === "approve" ? sql`${reviewItems.draft}` : d.kind === "edit" ? d.text : null,
        diff: d.kind === "edit" ? d.diff : null,
        note: d.kind === "reject" ? d.note : null,
        claimExpiresAt: null,
      })
      .where(
        and(eq(reviewItems.id, input.id), eq(reviewItems.status, "pending"), eq(reviewItems.claimedBy, input.reviewer.id), gte(reviewItems.claimExpiresAt, now), notOwnQuestion(input.reviewer.id, input)),
      )
      .returning();
    if (!item) throw new ReviewConflictError(await whyNot(tx as unknown as Database, input.id, input.reviewer.id));
    const released = status === "rejected" ? null : (item.finalText ?? item.draft);
    if (item.messageId) {
      await tx.update(messages).set(released === null ? { status: "rejected" } : { status: "released", content: released }).where(eq(messages.id, item.messageId));
      await recordRoutingLabel(tx, { messageId: item.messageId, question: item.question, neededReview, routedToReview: true, source: "reviewer", actorId: input.reviewer.id });
      await reviewTurnRecord(tx, { messageId: item.messageId, released, review: { itemId: item.id, reviewerId: input.reviewer.id, reviewerEmail: input.reviewer.email ?? "", decision: status, at: now.toISOString() } });
    }
    await insertAuditEvent(tx, {
      actorId: input.reviewer.id,
      actorEmail: input.reviewer.email,
      action: `review.${status === "approved" ? "approve" : status === "edited" ? "edit_approve" : "reject"}`,
      target: item.id,
      details: {
        messageId: item.messageId,
        neededReview,
        before: { status: before?.status, text: before?.draft },
        after: { status, text: item.finalText, note: item.note, diff: item.diff },
        ...selfReviewMark(item, input.reviewer.id),
      },
    });
    return item;
  });
}

export async function getReviewItem(db: Database, { id }: { id: string }) {
  const [row] = await db.select().from(reviewItems).where(eq(reviewItems.id, id));
  return row;
}

export async function getReviewItemForMessage(db: Database, { messageId }: { messageId: string }) {
  const [row] = await db.select().from(reviewItems).where(eq(reviewItems.messageId, messageId));
  return row;
}

export interface ReviewFilter {
  status?: ReviewStatus[];
  topic?: string;
  kbId?: string;
  olderThanMinutes?: number;
}

export function listReviewItems(db: Database, f: ReviewFilter = {}, limit = 200) {
  const where = and(
    f.status?.length ? inArray(reviewItems.status, f.status) : undefined,
    f.topic ? eq(reviewItems.topic, f.topic) : undefined,
    f.kbId ? sql`${reviewItems.kbIds} @> ${JSON.stringify([f.kbId])}::jsonb` : undefined,
    f.olderThanMinutes ? lt(reviewItems.createdAt, new Date(Date.now() - f.olderThanMinutes * 60_000)) : undefined,
  );
  return db
    .select({ item: reviewItems, agentEmail: users.email, agentName: users.name })
    .from(reviewItems)
    .leftJoin(users, eq(users.id, reviewItems.agentId))
    .where(where)
    // The most serious first, then the oldest: a refund commitment never waits behind a weak-grounding hold.
    .orderBy(desc(reviewItems.severity), asc(reviewItems.createdAt))
    .limit(limit);
}

export async function countPendingReviews(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(reviewItems).where(eq(reviewItems.status, "pending"));
  return row?.n ?? 0;
}

export function listReviewItemsForAgent(db: Database, { agentId }: { agentId: string }) {
  return db
    .select({ item: reviewItems, conversationId: messages.conversationId })
    .from(reviewItems)
    .innerJoin(messages, eq(messages.id, reviewItems.messageId))
    .where(eq(reviewItems.agentId, agentId))
    .orderBy(sql`${reviewItems.status} = 'pending' desc`, asc(reviewItems.createdAt))
    .limit(200);
}
