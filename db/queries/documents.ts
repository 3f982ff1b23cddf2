/**
 * Documents, and the ingest queue they double as: workers lease queued rows
 * with SKIP LOCKED, so any number of workers share one queue safely.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../client";
import { documents, users } from "../schema";
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

/** Leases the oldest queued document whose retry time has come (or one whose worker's lease ran out) to `workerId`. */
export async function claimNextDocument(db: Database, { workerId, leaseMs }: { workerId: string; leaseMs: number }): Promise<DocumentRow | undefined> {
  const rows = await db.execute<{ id: string }>(sql`
    update ${documents} set status = 'parsing', progress = 0, worker_id = ${workerId}, attempts = attempts + 1,
      lease_expires_at = now() + (${leaseMs} || ' milliseconds')::interval, retry_at = null, error = null, updated_at = now()
    where id = (
      select id from ${documents}
      where (status = 'queued' and (retry_at is null or retry_at <= now()))
        or (status in ('parsing', 'chunking', 'embedding') and lease_expires_at < now())
      order by created_at for update skip locked limit 1
    ) returning id`);
  const id = rows[0]?.id;
  return id ? getDocument(db, { id }) : undefined;
}

/** Progress from the worker holding the lease; false when the lease was lost (deleted, re-queued, expired and taken). */
export async function reportDocumentProgress(
  db: Database,
  input: { id: string; workerId: string; version: number; leaseMs: number; status?: DocumentStatus; progress?: number; pages?: number; chunkCount?: number; type?: string; embedderId?: string; error?: string | null },
): Promise<boolean> {
  const { id, workerId, version, leaseMs, ...fields } = input;
  const rows = await db
    .update(documents)
    .set({ ...fields, leaseExpiresAt: sql`now() + (${leaseMs} || ' milliseconds')::interval`, updatedAt: new Date() })
    .where(and(eq(documents.id, id), eq(documents.workerId, workerId), eq(documents.version, version)))
    .returning({ id: documents.id });
  return rows.length > 0;
}

/** Ends the lease with a final state: ready, or failed with the reason. */
export async function finishDocument(
  db: Database,
  input: { id: string; workerId: string; version: number; status: "ready" | "failed"; error?: string; chunkCount?: number; pages?: number },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(documents)
      .set({ status: input.status, error: input.error ?? null, chunkCount: input.chunkCount, pages: input.pages, progress: input.status === "ready" ? 1 : 0, leaseExpiresAt: null, workerId: null, updatedAt: new Date() })
      .where(and(eq(documents.id, input.id), eq(documents.workerId, input.workerId), eq(documents.version, input.version)))
      .returning();
    const doc = rows[0];
    if (!doc) return false;
    await insertAuditEvent(tx, {
      action: input.status === "ready" ? "document.ready" : "document.failed",
      actorEmail: "ingest-worker",
      target: doc.fileName,
      details: { kbId: doc.kbId, documentId: doc.id, version: doc.version, chunks: doc.chunkCount, pages: doc.pages, error: input.error ?? null },
    });
    return true;
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

/** Whether any document still waits in the queue. */
export async function hasQueuedDocuments(db: Database): Promise<boolean> {
  const [row] = await db.select({ id: documents.id }).from(documents).where(eq(documents.status, "queued")).limit(1);
  return !!row;
}
