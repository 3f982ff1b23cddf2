/** Writing, listing and verifying audit events. Writes join the caller's transaction. */
import { and, asc, desc, eq, gt, gte, ilike, lte, sql, type SQL } from "drizzle-orm";
import { CHAIN_START, GENESIS_HASH, hashAuditEvent, verifyChain, type AuditKey, type ChainRow, type ChainVerdict } from "../audit-chain";
import { currentAuditKey } from "../audit-key";
import type { Database, Executor } from "../client";
import { auditEvents, type AuditEvent } from "../schema";

const AUDIT_CHAIN_LOCK = 727002;

export interface NewAuditEvent {
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one event. Call it inside the transaction of the change it records;
 * the advisory lock orders concurrent writers so the chain never forks.
 */
export async function insertAuditEvent(tx: Executor, event: NewAuditEvent): Promise<AuditEvent> {
  return (await insertAuditEvents(tx, [event]))[0]!;
}

/** Appends events in order, chained, in one statement (a bulk upload records hundreds at once). */
export async function insertAuditEvents(tx: Executor, events: readonly NewAuditEvent[]): Promise<AuditEvent[]> {
  if (events.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const key = currentAuditKey();
  const rows = events.map((event) => {
    const content = { at, actorId: event.actorId ?? null, actorEmail: event.actorEmail ?? null, action: event.action, target: event.target ?? null, details: event.details ?? {} };
    const row = { ...content, prevHash, hash: hashAuditEvent(content, prevHash, key), keyId: key?.id ?? null };
    prevHash = row.hash;
    return row;
  });
  // Ids come from one sequence in VALUES order, so the chain reads back in this order.
  return (await tx.insert(auditEvents).values(rows).returning()).sort((a, b) => a.id - b.id);
}

/** Records an event in a transaction of its own (for events with no other write). */
export function recordAuditEvent(db: Database, event: NewAuditEvent): Promise<AuditEvent> {
  return db.transaction((tx) => insertAuditEvent(tx, event));
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

function filterWhere(f: AuditFilter): SQL | undefined {
  return and(
    f.actor ? ilike(auditEvents.actorEmail, `%${f.actor}%`) : undefined,
    f.action ? ilike(auditEvents.action, `${f.action}%`) : undefined,
    f.from ? gte(auditEvents.at, f.from) : undefined,
    f.to ? lte(auditEvents.at, f.to) : undefined,
  );
}

export async function listAuditEvents(db: Database, { filter, limit, offset }: { filter: AuditFilter; limit: number; offset: number }) {
  const where = filterWhere(filter);
  const [rows, [count]] = await Promise.all([
    db.select().from(auditEvents).where(where).orderBy(desc(auditEvents.id)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** All matching events oldest first, in pages, for CSV export. */
export async function* streamAuditEvents(db: Database, filter: AuditFilter, pageSize = 1000): AsyncGenerator<AuditEvent> {
  let after = 0;
  for (;;) {
    const rows = await db.select().from(auditEvents)
      .where(and(filterWhere(filter), gt(auditEvents.id, after)))
      .orderBy(asc(auditEvents.id)).limit(pageSize);
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Walks the whole chain in id order, a page at a time, with the keys given (default: this process's). */
export async function verifyAuditChain(db: Database, options: { pageSize?: number; keys?: readonly AuditKey[] } = {}): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 2000;
  const keys = new Map((options.keys ?? [currentAuditKey()].filter((k): k is AuditKey => !!k)).map((k) => [k.id, k]));
  let position = CHAIN_START;
  let after = 0;
  for (;;) {
    const rows: ChainRow[] = await db.select().from(auditEvents).where(gt(auditEvents.id, after)).orderBy(asc(auditEvents.id)).limit(pageSize);
    const verdict = verifyChain(rows, keys, position);
    if (!verdict.ok || rows.length < pageSize) return verdict;
    position = { prevHash: rows[rows.length - 1]!.hash, checked: verdict.checked, keyed: verdict.keyed };
    after = rows[rows.length - 1]!.id;
  }
}

/** The newest event's id and hash, and how many events there are: what a checkpoint records. */
export async function auditHead(db: Database): Promise<{ lastId: number; count: number; hash: string } | undefined> {
  const [last] = await db.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  if (!last) return undefined;
  return { lastId: last.id, count: await countUpTo(db, last.id), hash: last.hash };
}

/** Whether the log still holds what a checkpoint saw: its newest event, unchanged, and as many events up to it. */
export async function matchesCheckpoint(db: Database, checkpoint: { lastId: number; count: number; hash: string }): Promise<string | undefined> {
  const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.id, checkpoint.lastId));
  if (!row) return `event ${checkpoint.lastId}, the newest when the checkpoint was written, is gone (the newest events were deleted)`;
  if (row.hash !== checkpoint.hash) return `event ${checkpoint.lastId} is not the event the checkpoint recorded (its hash differs)`;
  const count = await countUpTo(db, checkpoint.lastId);
  if (count !== checkpoint.count) return `the checkpoint counted ${checkpoint.count} events up to event ${checkpoint.lastId}; there are ${count}`;
  return undefined;
}

async function countUpTo(db: Database, lastId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(lte(auditEvents.id, lastId));
  return row?.n ?? 0;
}

/** Failed sign-ins since `since` for one email, or from one client address: how many, and the last one's time. */
export async function failedSignIns(db: Database, input: { email: string } | { ip: string }, since: Date): Promise<{ count: number; last: Date | null }> {
  const who = "email" in input ? eq(auditEvents.target, input.email) : sql`${auditEvents.details}->>'ip' = ${input.ip}`;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, last: sql<Date | null>`max(${auditEvents.at})` })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "auth.signin.failure"), who, gte(auditEvents.at, since)));
  const last = row?.last ? new Date(row.last) : null;
  return { count: row?.count ?? 0, last };
}
