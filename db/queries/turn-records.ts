/**
 * Turn records: the provenance of each answered turn (who asked, which passages of which
 * document versions, which model under which policies, what was decided and released). Each
 * write joins the caller's transaction and appends a `turn.*` audit event carrying the record's
 * hash, so a record changed afterwards no longer matches the chain (verifyTurnRecords).
 */
import crypto from "node:crypto";
import { and, asc, desc, eq, gte, ilike, isNull, lt, sql, type SQL } from "drizzle-orm";
import { canonicalJson } from "../audit-chain";
import type { Database, Executor } from "../client";
import { auditEvents, turnRecords, type TurnAssessment, type TurnChunk, type TurnModel, type TurnReview } from "../schema";
import { insertAuditEvent } from "./audit";
import type { Actor } from "./users";

export type TurnRecord = typeof turnRecords.$inferSelect;
export type { TurnAssessment, TurnChunk, TurnModel, TurnReview };

export interface NewTurnRecord {
  messageId: string;
  conversationId: string;
  userId: string;
  userEmail: string;
  question: string;
  /** The text the agent was shown; null while held, or when nothing was released. */
  answer: string | null;
  outcome: "released" | "held" | "refused" | "failed" | "incomplete" | "not_found";
  answerMode: "generated" | "quoted" | "none";
  kbIds: string[];
  chunks: TurnChunk[];
  model: TurnModel | null;
  modelPolicyVersion: number | null;
  reviewPolicyVersion: number | null;
  assessment: TurnAssessment;
  /** Keep the question and answer texts (the retention setting), or only their hashes. */
  keepTexts: boolean;
}

export const sha256 = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/** What a record's hash covers: everything but the texts themselves (their hashes stand for them) and the bookkeeping. */
export function recordHash(r: Omit<TurnRecord, "sha256" | "question" | "answer" | "textsPurgedAt" | "updatedAt">): string {
  const { id, messageId, conversationId, userId, userEmail, questionSha256, answerSha256, outcome, answerMode, kbIds, chunks, model, modelPolicyVersion, reviewPolicyVersion, assessment, review, createdAt } = r;
  return sha256(canonicalJson({ id, messageId, conversationId, userId, userEmail, questionSha256, answerSha256, outcome, answerMode, kbIds, chunks, model, modelPolicyVersion, reviewPolicyVersion, assessment, review, createdAt }));
}

/** Writes the record of a turn that just ended (inside the transaction that gives its message its final state). */
export async function insertTurnRecord(tx: Executor, input: NewTurnRecord): Promise<TurnRecord> {
  const base = {
    id: crypto.randomUUID(),
    messageId: input.messageId,
    conversationId: input.conversationId,
    userId: input.userId,
    userEmail: input.userEmail,
    questionSha256: sha256(input.question),
    answerSha256: input.answer === null ? null : sha256(input.answer),
    outcome: input.outcome,
    answerMode: input.answerMode,
    kbIds: input.kbIds,
    chunks: input.chunks,
    model: input.model,
    modelPolicyVersion: input.modelPolicyVersion,
    reviewPolicyVersion: input.reviewPolicyVersion,
    assessment: input.assessment,
    review: null,
    createdAt: new Date(),
  };
  const hash = recordHash(base);
  const [row] = await tx
    .insert(turnRecords)
    .values({ ...base, question: input.keepTexts ? input.question : null, answer: input.keepTexts ? input.answer : null, sha256: hash, updatedAt: base.createdAt })
    .returning();
  await insertAuditEvent(tx, { actorId: input.userId, actorEmail: input.userEmail, action: `turn.${input.outcome}`, target: row!.id, details: { messageId: input.messageId, sha256: hash } });
  return row!;
}

/** A reviewer's decision on a held turn: what was released (or nothing), by whom; re-hashed and chained. */
export async function reviewTurnRecord(tx: Executor, input: { messageId: string; released: string | null; review: TurnReview }): Promise<TurnRecord | undefined> {
  const [before] = await tx.select().from(turnRecords).where(eq(turnRecords.messageId, input.messageId));
  if (!before) return undefined; // a turn from before records were kept
  const next = { ...before, outcome: input.released === null ? "rejected" : "released", answerSha256: input.released === null ? null : sha256(input.released), review: input.review };
  const hash = recordHash(next);
  const keepTexts = before.question !== null;
  const [row] = await tx
    .update(turnRecords)
    .set({ outcome: next.outcome, answerSha256: next.answerSha256, answer: keepTexts ? input.released : null, review: input.review, sha256: hash, updatedAt: new Date() })
    .where(eq(turnRecords.id, before.id))
    .returning();
  await insertAuditEvent(tx, { actorId: input.review.reviewerId, actorEmail: input.review.reviewerEmail, action: `turn.${next.outcome}`, target: before.id, details: { messageId: input.messageId, sha256: hash, review: input.review.decision } });
  return row;
}

export interface TurnFilter {
  user?: string;
  from?: Date;
  to?: Date;
  kbId?: string;
  docId?: string;
  docVersion?: number;
  /** Part of a cited document's file name. */
  file?: string;
  model?: string;
  outcome?: string;
}

function filterWhere(f: TurnFilter): SQL | undefined {
  const chunk = f.docId ? (f.docVersion ? { docId: f.docId, docVersion: f.docVersion } : { docId: f.docId }) : undefined;
  return and(
    f.user ? ilike(turnRecords.userEmail, `%${f.user}%`) : undefined,
    f.from ? gte(turnRecords.createdAt, f.from) : undefined,
    f.to ? lt(turnRecords.createdAt, f.to) : undefined,
    f.kbId ? sql`${turnRecords.kbIds} @> ${JSON.stringify([f.kbId])}::jsonb` : undefined,
    chunk ? sql`${turnRecords.chunks} @> ${JSON.stringify([chunk])}::jsonb` : undefined,
    f.file ? sql`exists (select 1 from jsonb_array_elements(${turnRecords.chunks}) c where c->>'fileName' ilike ${`%${f.file}%`}${f.docVersion && !f.docId ? sql` and (c->>'docVersion')::int = ${f.docVersion}` : sql``})` : undefined,
    f.model ? sql`${turnRecords.model}->>'id' = ${f.model}` : undefined,
    f.outcome ? eq(turnRecords.outcome, f.outcome) : undefined,
  );
}

export function listTurnRecords(db: Database, filter: TurnFilter, { limit = 100, offset = 0 } = {}): Promise<TurnRecord[]> {
  return db.select().from(turnRecords).where(filterWhere(filter)).orderBy(desc(turnRecords.createdAt)).limit(limit).offset(offset);
}

/** Every record the filter matches, oldest first, a page at a time (for exports). */
export async function* streamTurnRecords(db: Database, filter: TurnFilter): AsyncGenerator<TurnRecord> {
  for (let offset = 0; ; offset += 500) {
    const rows = await db.select().from(turnRecords).where(filterWhere(filter)).orderBy(asc(turnRecords.createdAt), asc(turnRecords.id)).limit(500).offset(offset);
    yield* rows;
    if (rows.length < 500) return;
  }
}

export async function countTurnRecords(db: Database, filter: TurnFilter): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(turnRecords).where(filterWhere(filter));
  return row?.n ?? 0;
}

export async function getTurnRecord(db: Database, { id }: { id: string }): Promise<TurnRecord | undefined> {
  const [row] = await db.select().from(turnRecords).where(eq(turnRecords.id, id));
  return row;
}

export interface TurnVerdict {
  checked: number;
  /** Records whose content no longer hashes to what the audit chain last recorded for them, with why. */
  broken: { id: string; reason: string }[];
}

/** Each record against the newest `turn.*` audit event about it, and each kept text against its hash. */
export async function verifyTurnRecords(db: Database): Promise<TurnVerdict> {
  const events = await db
    .select({ target: auditEvents.target, details: auditEvents.details })
    .from(auditEvents)
    .where(sql`${auditEvents.action} like 'turn.%' and ${auditEvents.action} <> 'turn.purge'`)
    .orderBy(asc(auditEvents.id));
  const chained = new Map(events.map((e) => [e.target, (e.details as { sha256?: string }).sha256]));
  const broken: TurnVerdict["broken"] = [];
  let checked = 0;
  for (let offset = 0; ; offset += 1000) {
    const rows = await db.select().from(turnRecords).orderBy(asc(turnRecords.createdAt), asc(turnRecords.id)).limit(1000).offset(offset);
    for (const r of rows) {
      checked++;
      const expected = chained.get(r.id);
      if (!expected) broken.push({ id: r.id, reason: "no audit event records it" });
      else if (recordHash(r) !== expected || r.sha256 !== expected) broken.push({ id: r.id, reason: "its content changed after the audit log recorded it" });
      else if (r.question !== null && sha256(r.question) !== r.questionSha256) broken.push({ id: r.id, reason: "its question text does not match its hash" });
      else if (r.answer !== null && sha256(r.answer) !== r.answerSha256) broken.push({ id: r.id, reason: "its answer text does not match its hash" });
    }
    if (rows.length < 1000) break;
  }
  return { checked, broken };
}

/** Clears the texts of records created before `before`, keeping their hashes; audited as one event. */
export async function purgeTurnTexts(db: Database, { before, actor }: { before: Date; actor: Actor }): Promise<number> {
  return db.transaction(async (tx) => {
    const purged = await tx
      .update(turnRecords)
      .set({ question: null, answer: null, textsPurgedAt: new Date() })
      .where(and(lt(turnRecords.createdAt, before), isNull(turnRecords.textsPurgedAt), sql`(${turnRecords.question} is not null or ${turnRecords.answer} is not null)`))
      .returning({ id: turnRecords.id });
    if (purged.length > 0) await insertAuditEvent(tx, { actorId: actor.id, actorEmail: actor.email, action: "turn.purge", details: { before: before.toISOString(), records: purged.length } });
    return purged.length;
  });
}
