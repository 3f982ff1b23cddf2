/**
 * Documents, and the ingest queue they double as: workers lease queued rows
 * with SKIP LOCKED, so any number of workers share one queue safely.
 */
import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { documents, ingestWorkers, users } from "../schema";
import { WORKER_STALE_MS } from "./ingest-workers";
import { insertAuditEvent, insertAuditEvents } from "./audit";
import type { Actor } from "./users";

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentStatus = DocumentRow["status"];
export const ACTIVE_STATUSES: DocumentStatus[] = ["parsing", "chunking", "embedding"];
export const INGEST_CHANNEL = "vouch_ingest";

export type RegisterOutcome = { outcome: "queued" | "new-version"; doc: DocumentRow } | { outcome: "duplicate"; doc: DocumentRow };

export interface UploadRecord {
  fileName: string;
  sha256: string;
  bytes: number;
  storagePath: string;
}

/**
 * Records a group of uploaded files in one transaction: the same bytes already in the
 * knowledge base (or earlier in the group) are a duplicate (no new work); the same name with
 * new bytes is a new version. A bulk upload pays for one commit and a handful of statements
 * per group, not per file.
 */
export async function registerUploads(db: Database, input: { kbId: string; actor: Actor; files: readonly UploadRecord[] }): Promise<RegisterOutcome[]> {
  if (input.files.length === 0) return [];
  return db.transaction(async (tx) => {
    // Serialise uploads into one knowledge base so two copies of a file can't both become new.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.kbId}))`);
    const inKb = eq(documents.kbId, input.kbId);
    const bySha = new Map<string, DocumentRow>();
    for (const d of await tx.select().from(documents).where(and(inKb, inArray(documents.sha256, [...new Set(input.files.map((f) => f.sha256))]), sql`${documents.status} <> 'failed'`))) bySha.set(d.sha256, d);
    const byName = new Map<string, DocumentRow>();
    for (const d of await tx.select().from(documents).where(and(inKb, inArray(documents.fileName, [...new Set(input.files.map((f) => f.fileName))]))).for("update")) byName.set(d.fileName, d);
    const fields = (f: UploadRecord) => ({ sha256: f.sha256, bytes: f.bytes, storagePath: f.storagePath, status: "queued" as const, progress: 0, error: null, uploadedBy: input.actor.id, leaseExpiresAt: null, workerId: null, attempts: 0, retryAt: null, updatedAt: new Date() });
    const outcomes: RegisterOutcome[] = [];
    // New files wait here to be inserted together; a later file that needs one of them flushes first.
    let pending: { at: number; file: UploadRecord }[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const rows = await tx.insert(documents).values(pending.map(({ file }) => ({ ...fields(file), kbId: input.kbId, fileName: file.fileName }))).returning();
      pending.forEach(({ at, file }) => {
        const doc = rows.find((r) => r.fileName === file.fileName)!;
        outcomes[at] = { outcome: "queued", doc };
        bySha.set(doc.sha256, doc);
        byName.set(doc.fileName, doc);
      });
      pending = [];
    };
    for (const [at, file] of input.files.entries()) {
      if (pending.some((p) => p.file.sha256 === file.sha256 || p.file.fileName === file.fileName)) await flush();
      const same = bySha.get(file.sha256);
      const named = byName.get(file.fileName);
      if (same) outcomes[at] = { outcome: "duplicate", doc: same };
      else if (named) {
        const [doc] = await tx.update(documents).set({ ...fields(file), version: named.version + 1 }).where(eq(documents.id, named.id)).returning();
        outcomes[at] = { outcome: "new-version", doc: doc! };
        bySha.set(doc!.sha256, doc!);
        byName.set(doc!.fileName, doc!);
      } else pending.push({ at, file });
    }
    await flush();
    const changed = outcomes.flatMap((o, at) => (o.outcome === "duplicate" ? [] : [{ o, file: input.files[at]! }]));
    await insertAuditEvents(
      tx,
      changed.map(({ o, file }) => ({
        actorId: input.actor.id,
        actorEmail: input.actor.email,
        action: o.outcome === "new-version" ? "document.new_version" : "document.upload",
        target: file.fileName,
        details: { kbId: input.kbId, documentId: o.doc.id, version: o.doc.version, sha256: file.sha256, bytes: file.bytes },
      })),
    );
    if (changed.length > 0) await tx.execute(sql`select pg_notify(${INGEST_CHANNEL}, ${changed[0]!.o.doc.id})`);
    return outcomes;
  });
}

/**
 * Leases up to `limit` of the oldest queued documents whose retry time has come (or whose
 * worker's lease ran out, or whose worker is no longer running) to `workerId`, oldest first. One statement for the group: a bulk
 * ingest pays a round trip per group of documents, not per document.
 */
export async function claimDocuments(db: Database, { workerId, leaseMs, limit }: { workerId: string; leaseMs: number; limit: number }): Promise<DocumentRow[]> {
  const due = sql`select id from ${documents}
      where (status = 'queued' and (retry_at is null or retry_at <= now()))
        or (status in ('parsing', 'chunking', 'embedding') and (lease_expires_at < now() or worker_id in (
          select id from ${ingestWorkers} where heartbeat_at < now() - (${WORKER_STALE_MS} || ' milliseconds')::interval)))
      order by created_at for update skip locked limit ${Math.max(1, Math.floor(limit))}`;
  const rows = await db
    .update(documents)
    .set({ status: "parsing", progress: 0, workerId, attempts: sql`${documents.attempts} + 1`, leaseExpiresAt: sql`now() + (${leaseMs} || ' milliseconds')::interval`, retryAt: null, error: null, updatedAt: new Date() })
    .where(sql`${documents.id} in (${due})`)
    .returning();
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export interface ProgressInput {
  id: string;
  workerId: string;
  version: number;
  leaseMs: number;
  status?: DocumentStatus;
  progress?: number;
  pages?: number;
  chunkCount?: number;
  type?: string;
  embedderId?: string;
}

/**
 * The rows of `values` (JSON records of id, worker_id, version and `columns`) whose lease
 * their worker still holds, as `v` beside the document `d`: the `from … where` of an update.
 */
function stillLeased(values: readonly object[], columns: string) {
  return sql`from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, worker_id text, version int, ${sql.raw(columns)})
    where d.id = v.id and d.worker_id = v.worker_id and d.version = v.version`;
}

/**
 * Progress of leased documents in one statement, renewing their leases; a field left out keeps
 * its value. In order, whether each lease was still held (false: deleted, re-queued, expired and taken).
 */
export async function reportProgressOfDocuments(db: Database, inputs: readonly ProgressInput[]): Promise<boolean[]> {
  if (inputs.length === 0) return [];
  const values = inputs.map((i) => ({ id: i.id, worker_id: i.workerId, version: i.version, lease_ms: i.leaseMs, status: i.status, progress: i.progress, pages: i.pages, chunk_count: i.chunkCount, type: i.type, embedder_id: i.embedderId }));
  const rows = await db.execute<{ id: string }>(sql`
    update ${documents} d set status = coalesce(v.status::document_status, d.status), progress = coalesce(v.progress, d.progress),
      pages = coalesce(v.pages, d.pages), chunk_count = coalesce(v.chunk_count, d.chunk_count), type = coalesce(v.type, d.type),
      embedder_id = coalesce(v.embedder_id, d.embedder_id), lease_expires_at = now() + (v.lease_ms || ' milliseconds')::interval, updated_at = now()
    ${stillLeased(values, "lease_ms int, status text, progress real, pages int, chunk_count int, type text, embedder_id text")}
    returning d.id`);
  const held = new Set(rows.map((r) => r.id));
  return inputs.map((i) => held.has(i.id));
}

export interface FinishInput {
  id: string;
  workerId: string;
  version: number;
  status: "ready" | "failed";
  error?: string;
  chunkCount?: number;
  pages?: number;
}

/**
 * Ends leases with a final state (ready, or failed with the reason) in one transaction: one
 * statement for the documents, one for their audit events. In order, whether each lease was still held.
 */
export async function finishDocuments(db: Database, inputs: readonly FinishInput[]): Promise<boolean[]> {
  if (inputs.length === 0) return [];
  const values = inputs.map((i) => ({ id: i.id, worker_id: i.workerId, version: i.version, status: i.status, error: i.error ?? null, chunk_count: i.chunkCount ?? null, pages: i.pages ?? null }));
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; file_name: string; kb_id: string; version: number; chunk_count: number | null; pages: number | null; status: string; error: string | null }>(sql`
      update ${documents} d set status = v.status::document_status, error = v.error, chunk_count = v.chunk_count, pages = v.pages,
        progress = case when v.status = 'ready' then 1 else 0 end, lease_expires_at = null, worker_id = null, updated_at = now()
      ${stillLeased(values, "status text, error text, chunk_count int, pages int")}
      returning d.id, d.file_name, d.kb_id, d.version, d.chunk_count, d.pages, d.status, d.error`);
    const done = new Map(rows.map((r) => [r.id, r]));
    await insertAuditEvents(
      tx,
      inputs.flatMap((i) => {
        const doc = done.get(i.id);
        if (!doc) return [];
        return [{
          action: doc.status === "ready" ? "document.ready" : "document.failed",
          actorEmail: "ingest-worker",
          target: doc.file_name,
          details: { kbId: doc.kb_id, documentId: doc.id, version: doc.version, chunks: doc.chunk_count, pages: doc.pages, error: doc.error, workerId: i.workerId },
        }];
      }),
    );
    return inputs.map((i) => done.has(i.id));
  });
}

/**
 * After a passing fault (database, vector store): give the lease back and keep the document
 * queued until `delayMs` from now, with the reason shown meanwhile. False when the lease was lost.
 */
export async function scheduleDocumentRetry(
  db: Database,
  input: { id: string; workerId: string; version: number; delayMs: number; reason: string },
): Promise<boolean> {
  const rows = await db
    .update(documents)
    .set({
      status: "queued",
      progress: 0,
      error: input.reason,
      workerId: null,
      leaseExpiresAt: null,
      retryAt: sql`now() + (${input.delayMs} || ' milliseconds')::interval`,
      updatedAt: new Date(),
    })
    .where(and(eq(documents.id, input.id), eq(documents.workerId, input.workerId), eq(documents.version, input.version)))
    .returning({ id: documents.id });
  return rows.length > 0;
}

export async function getDocument(db: Database, { id }: { id: string }): Promise<DocumentRow | undefined> {
  const [doc] = await db.select().from(documents).where(eq(documents.id, id));
  return doc;
}

export async function listDocuments(db: Database, { kbId }: { kbId: string }) {
  return db
    .select({ doc: documents, uploader: users.email })
    .from(documents)
    .leftJoin(users, eq(users.id, documents.uploadedBy))
    .where(eq(documents.kbId, kbId))
    .orderBy(desc(documents.createdAt), documents.fileName);
}

export async function listDocumentsForReconcile(db: Database) {
  return db.select({ id: documents.id, kbId: documents.kbId, version: documents.version, status: documents.status, chunkCount: documents.chunkCount, storagePath: documents.storagePath }).from(documents);
}

/** Puts a document back in the queue (re-index, or repair when its chunks are missing). */
export async function requeueDocument(db: Database, input: { id: string; actor: Actor; reason: string }): Promise<DocumentRow | undefined> {
  return db.transaction(async (tx) => {
    const [doc] = await tx
      .update(documents)
      .set({ status: "queued", progress: 0, error: null, workerId: null, leaseExpiresAt: null, attempts: 0, retryAt: null, updatedAt: new Date() })
      .where(eq(documents.id, input.id))
      .returning();
    if (!doc) return undefined;
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action: "document.reindex", target: doc.fileName, details: { kbId: doc.kbId, documentId: doc.id, reason: input.reason } });
    await tx.execute(sql`select pg_notify(${INGEST_CHANNEL}, ${doc.id})`);
    return doc;
  });
}

export async function deleteDocumentRow(db: Database, input: { id: string; actor: Actor }): Promise<DocumentRow | undefined> {
  return db.transaction(async (tx) => {
    const [doc] = await tx.delete(documents).where(eq(documents.id, input.id)).returning();
    if (!doc) return undefined;
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action: "document.delete", target: doc.fileName, details: { kbId: doc.kbId, documentId: doc.id, version: doc.version } });
    return doc;
  });
}

/** Other documents still pointing at a stored file (content-addressed, so a file may be shared). */
export async function countDocumentsUsingFile(db: Database, { storagePath }: { storagePath: string }): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.storagePath, storagePath));
  return row?.n ?? 0;
}

/** How many of `ids` have reached a final state (ready or failed). */
export async function countFinishedDocuments(db: Database, { ids }: { ids: readonly string[] }): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(inArray(documents.id, [...ids]), inArray(documents.status, ["ready", "failed"])));
  return row?.n ?? 0;
}

/**
 * The documents of a knowledge base with these names: an exact name wins; otherwise a document
 * whose last path segment is the name's, when it is the only one (folders are often uploaded flat).
 */
export async function findDocumentsByName(db: Database, { kbId, fileNames }: { kbId: string; fileNames: readonly string[] }): Promise<Map<string, string>> {
  if (fileNames.length === 0) return new Map();
  const base = (name: string) => name.slice(name.lastIndexOf("/") + 1);
  const rows = await db
    .select({ id: documents.id, fileName: documents.fileName })
    .from(documents)
    .where(and(eq(documents.kbId, kbId), or(inArray(documents.fileName, [...fileNames]), inArray(sql`regexp_replace(${documents.fileName}, '^.*/', '')`, fileNames.map(base)))));
  const found = new Map<string, string>();
  for (const name of fileNames) {
    const exact = rows.find((r) => r.fileName === name);
    const byBase = rows.filter((r) => base(r.fileName) === base(name));
    const id = exact?.id ?? (byBase.length === 1 ? byBase[0]!.id : undefined);
    if (id) found.set(name, id);
  }
  return found;
}
