/** People's word on routing decisions (routing_labels): recorded by reviewers and agents, read as routing quality. */
import { and, eq, gte, sql } from "drizzle-orm";
import type { Database } from "../client";
import { routingLabels, turnRecords } from "../schema";

type Writer = Pick<Database, "insert">;

export interface RoutingLabelInput {
  messageId: string;
  question: string;
  neededReview: boolean;
  routedToReview: boolean;
  source: "reviewer" | "agent";
  actorId: string | null;
}

/** One label per answer: a later word on the same answer replaces the earlier one. Takes a transaction too. */
export async function recordRoutingLabel(db: Writer, input: RoutingLabelInput): Promise<void> {
  await db
    .insert(routingLabels)
    .values(input)
    .onConflictDoUpdate({
      target: routingLabels.messageId,
      set: { neededReview: input.neededReview, routedToReview: input.routedToReview, source: input.source, actorId: input.actorId, createdAt: new Date() },
    });
}

/**
 * Labels, oldest first: every one (what a retrain learns from and is scored on), or with `kbId`
 * those on turns that searched that knowledge base (its turn record says which it searched).
 */
export function listRoutingLabels(db: Database, { kbId }: { kbId?: string } = {}): Promise<{ messageId: string; question: string; neededReview: boolean }[]> {
  const columns = { messageId: routingLabels.messageId, question: routingLabels.question, neededReview: routingLabels.neededReview };
  if (!kbId) return db.select(columns).from(routingLabels).orderBy(routingLabels.createdAt);
  return db
    .select(columns)
    .from(routingLabels)
    .innerJoin(turnRecords, eq(turnRecords.messageId, routingLabels.messageId))
    .where(sql`${turnRecords.kbIds} @> ${JSON.stringify([kbId])}::jsonb`)
    .orderBy(routingLabels.createdAt);
}

export async function countRoutingLabels(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(routingLabels);
  return row?.n ?? 0;
}

export interface RoutingQuality {
  days: number;
  labelled: number;
  /** Sent to review and needed it. */
  truePositives: number;
  /** Sent to review without needing it. */
  falsePositives: number;
  /** Released although it needed review. */
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
}

/** Precision and recall of routing over the labelled answers of the last `days` days. */
export async function getRoutingQuality(db: Database, { days = 90 }: { days?: number } = {}): Promise<RoutingQuality> {
  const since = new Date(Date.now() - days * 86_400_000);
  const count = (where: ReturnType<typeof and>) => sql<number>`count(*) filter (where ${where})::int`;
  const [row] = await db
    .select({
      labelled: sql<number>`count(*)::int`,
      tp: count(and(eq(routingLabels.routedToReview, true), eq(routingLabels.neededReview, true))),
      fp: count(and(eq(routingLabels.routedToReview, true), eq(routingLabels.neededReview, false))),
      fn: count(and(eq(routingLabels.routedToReview, false), eq(routingLabels.neededReview, true))),
    })
    .from(routingLabels)
    .where(gte(routingLabels.createdAt, since));
  const tp = row?.tp ?? 0;
  const fp = row?.fp ?? 0;
  const fn = row?.fn ?? 0;
  return {
    days,
    labelled: row?.labelled ?? 0,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
  };
}
