/**
 * One leased document through the pipeline, seen from the queue: a heartbeat
 * renews the lease meanwhile, a first version's chunks go through the group
 * commit, the indexes are folded so search can see the document, and the
 * outcome is recorded (ready, failed, or queued again for a retry).
 */
import type { Database } from "@/db/client";
import { scheduleDocumentRetry, type DocumentRow, type FinishInput, type ProgressInput } from "@/db/queries/documents";
import type { KnowledgeBase } from "@/db/queries/knowledge-bases";
import { readOriginal } from "@/lib/kb/files";
import type { StoredChunk, VectorStore } from "@/lib/vectorstore";
import { classifyFailure } from "./failure";
import { LeaseLostError, runPipeline, type PipelineResult } from "./pipeline";
import type { Preparer } from "./prepare/prepare";
import type { DocumentSlot } from "./scheduler";
import type { WorkerLog } from "./worker-log";

/** A leased document with the settings of its knowledge base (undefined when that was deleted meanwhile). */
export interface ClaimedDocument {
  doc: DocumentRow;
  kb: Pick<KnowledgeBase, "chunkTokens" | "chunkOverlap"> | undefined;
}

export interface DocumentContext {
  db: Database;
  store: VectorStore;
  filesDir: string;
  log: WorkerLog;
  workerId: string;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** Parses, chunks and embeds: on this thread, or the prepare pool's threads. */
  preparer: Preparer;
  /** The group commit for first versions' chunks. */
  append(chunks: readonly StoredChunk[]): Promise<void>;
  /** Brings the indexes up to date with every written row; never rejects. */
  foldIndexes(): Promise<unknown>;
  /** Writes progress and renews the lease (batched with other documents'); false when the lease was lost. */
  report(input: ProgressInput): Promise<boolean>;
  /** Records the final state (batched with other documents'); false when the lease was lost. */
  finish(input: FinishInput): Promise<boolean>;
}

type Lease = { id: string; workerId: string; version: number; leaseMs: number };

/** Runs a claimed document to its end and records the outcome; the caller finishes the slot. */
export async function processDocument({ doc, kb }: ClaimedDocument, slot: DocumentSlot, ctx: DocumentContext): Promise<void> {
  const lease: Lease = { id: doc.id, workerId: ctx.workerId, version: doc.version, leaseMs: ctx.leaseMs };
  const heartbeat = setInterval(() => void ctx.report(lease).catch(() => {}), ctx.leaseMs / 3);
  try {
    const result = await runLeased(doc, kb, slot, ctx, lease);
    // Rows outside the full-text index are found unreliably, so a document is called ready once search
    // can see it. During a bulk ingest (more documents waiting, or still in progress here: the last of
    // them folds everything in) the fold waits until the queue drains.
    if (slot.inBulk()) slot.deferFold();
    else await ctx.foldIndexes();
    await ctx.finish({ ...lease, status: "ready", chunkCount: result.chunkCount, pages: result.pages });
    ctx.log.info({ ...logFields(doc), chunks: result.chunkCount, pages: result.pages }, "document ready");
  } catch (error) {
    await recordFailure(doc, error, ctx, lease);
  } finally {
    clearInterval(heartbeat);
  }
}

async function runLeased(doc: DocumentRow, kb: ClaimedDocument["kb"], slot: DocumentSlot, ctx: DocumentContext, lease: Lease): Promise<PipelineResult> {
  if (!kb || !doc.storagePath) throw new LeaseLostError();
  const bytes = await readOriginal(ctx.filesDir, doc.storagePath);
  const input = {
    docId: doc.id,
    kbId: doc.kbId,
    version: doc.version,
    fileName: doc.fileName,
    bytes,
    chunkOptions: { targetTokens: kb.chunkTokens, overlap: kb.chunkOverlap },
    // Never finished before, first version, first attempt: nothing of it can be in the store.
    firstWrite: doc.version === 1 && doc.attempts === 1 && doc.chunkCount === null,
  };
  return runPipeline(input, {
    preparer: ctx.preparer,
    store: ctx.store,
    append: async (chunks) => {
      slot.enterCommitQueue();
      try {
        await ctx.append(chunks);
      } finally {
        slot.leaveCommitQueue();
      }
    },
    report: (status, progress, facts) => ctx.report({ ...lease, status, progress, embedderId: ctx.preparer.embedderId, ...facts }),
  });
}

async function recordFailure(doc: DocumentRow, error: unknown, ctx: DocumentContext, lease: Lease): Promise<void> {
  const fields = logFields(doc);
  const outcome = classifyFailure(error, { attempts: doc.attempts, maxAttempts: ctx.maxAttempts, retryBaseMs: ctx.retryBaseMs });
  if (outcome.kind === "lease-lost") {
    ctx.log.warn(fields, outcome.message);
  } else if (outcome.kind === "failed") {
    await ctx.finish({ ...lease, status: "failed", error: outcome.message }).catch(() => {});
    ctx.log.warn({ ...fields, error: outcome.message }, "document failed");
  } else {
    // Giving the lease back lets this or another worker retry once the backoff has passed.
    ctx.log.error({ ...fields, err: error, delayMs: outcome.delayMs }, "document attempt failed; will retry");
    const { id, workerId, version } = lease;
    await scheduleDocumentRetry(ctx.db, { id, workerId, version, delayMs: outcome.delayMs, reason: outcome.reason }).catch(() => {});
  }
}

function logFields(doc: DocumentRow) {
  return { documentId: doc.id, fileName: doc.fileName, version: doc.version };
}
