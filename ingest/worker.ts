/**
 * The ingest worker: leases queued documents from Postgres and runs the
 * pipeline, a few at a time so one document's parsing overlaps another's
 * embedding. Any number of workers (processes) can share the queue.
 */
import crypto from "node:crypto";
import type postgres from "postgres";
import type { Database } from "@/db/client";
import {
  claimNextDocument,
  finishDocument,
  hasQueuedDocuments,
  INGEST_CHANNEL,
  reportDocumentProgress,
  scheduleDocumentRetry,
  type DocumentRow,
} from "@/db/queries/documents";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import type { Embedder } from "@/lib/embeddings/types";
import type { VectorStore } from "@/lib/vectorstore";
import { readOriginal } from "@/lib/kb/files";
import { createGroupAppend } from "./group-append";
import { isIngestError } from "./parse";
import { createParsePool, type ParsePool } from "./parse/pool";
import { LeaseLostError, runPipeline } from "./pipeline";

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface IngestWorkerDeps {
  db: Database;
  sql: postgres.Sql;
  store: VectorStore;
  embedder: Embedder;
  filesDir: string;
  log: WorkerLog;
  /** Documents in progress at once (default 2; at least parseWorkers + 1). */
  concurrency?: number;
  /**
   * Worker threads that parse files (INGEST_PARSE_WORKERS); 0 (default) parses
   * on this thread. Threads let parsing overlap embedding and writes.
   */
  parseWorkers?: number;
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  /** Wait before the second attempt after a passing fault (default 10 s); doubles for each further one, up to 10 minutes. */
  retryBaseMs?: number;
  workerId?: string;
  /** Why the embedding model may not run now (the model policy refuses it), or undefined; documents wait meanwhile. */
  refusal?: () => string | undefined;
}

export interface IngestWorker {
  readonly workerId: string;
  /** Stops taking work and waits for documents in progress. */
  stop(): Promise<void>;
  /** Resolves when nothing is in progress and the queue had nothing to give. */
  idle(): Promise<void>;
}

/** Documents that may wait for a group commit after giving up their place (their chunks and vectors stay in memory). */
const MAX_WAITING_COMMITS = 32;

export function startIngestWorker(deps: IngestWorkerDeps): IngestWorker {
  const workerId = deps.workerId ?? `${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const parseWorkers = Math.max(0, Math.floor(deps.parseWorkers ?? 0));
  // One document more than there are parser threads, so a thread is never idle while another document embeds and writes.
  const concurrency = Math.max(deps.concurrency ?? 2, parseWorkers + 1);
  const parser: ParsePool | undefined = parseWorkers > 0 ? createParsePool({ size: parseWorkers }) : undefined;
  const append = createGroupAppend(deps.store, { more: () => preparing > 0 });
  const leaseMs = deps.leaseMs ?? 120_000;
  const maxAttempts = deps.maxAttempts ?? 3;
  const retryBaseMs = deps.retryBaseMs ?? 10_000;
  /** Every document until it is finished. */
  const running = new Set<Promise<void>>();
  /**
   * Documents that hold one of the `concurrency` places: a document gives its
   * place up once it is queued for a group commit, so the next one is parsed
   * while the store commits (and joins the next group). At most
   * MAX_WAITING_COMMITS documents wait for a commit this way.
   */
  const holding = new Set<Promise<void>>();
  let waitingCommits = 0;
  /** Documents claimed and not yet at their store write: a group commit waits for them. */
  let preparing = 0;
  let stopped = false;
  let queueEmpty = false;
  /** Documents were written since the indexes were last brought up to date. */
  let dirty = false;
  let wake: (() => void) | undefined;
  const idleWaiters: (() => void)[] = [];

  const notify = () => wake?.();
  /** Folds rows written since the last time into the indexes; a failure is logged, search still works meanwhile. */
  const foldIndexes = () => deps.store.ensureIndexes({ force: true }).catch((e: Error) => deps.log.error({ err: e }, "index maintenance failed"));
  const listening = deps.sql.listen(INGEST_CHANNEL, notify).catch((e: Error) => deps.log.warn({ err: e }, "LISTEN failed; polling only"));

  async function processDocument(doc: DocumentRow, releasePlace: () => void) {
    preparing++;
    let prepared = false;
    const donePreparing = () => {
      if (!prepared) preparing--;
      prepared = true;
    };
    const log = { documentId: doc.id, fileName: doc.fileName, version: doc.version };
    const base = { id: doc.id, workerId, version: doc.version, leaseMs };
    const heartbeat = setInterval(() => void reportDocumentProgress(deps.db, base).catch(() => {}), leaseMs / 3);
    try {
      const kb = await getKnowledgeBase(deps.db, { id: doc.kbId });
      if (!kb || !doc.storagePath) throw new LeaseLostError();
      const bytes = await readOriginal(deps.filesDir, doc.storagePath);
      const result = await runPipeline(
        {
          docId: doc.id,
          kbId: doc.kbId,
          version: doc.version,
          fileName: doc.fileName,
          bytes,
          chunkOptions: { targetTokens: kb.chunkTokens, overlap: kb.chunkOverlap },
          // Never finished before, first version, first attempt: nothing of it can be in the store.
          firstWrite: doc.version === 1 && doc.attempts === 1 && doc.chunkCount === null,
        },
        {
          embedder: deps.embedder,
          store: deps.store,
          parser,
          append: async (chunks) => {
            if (waitingCommits < MAX_WAITING_COMMITS) releasePlace();
            donePreparing();
            waitingCommits++;
            try {
              await append(chunks);
            } finally {
              waitingCommits--;
            }
          },
          report: (status, progress, facts) => reportDocumentProgress(deps.db, { ...base, status, progress, embedderId: deps.embedder.id, ...facts }),
        },
      );
      // Rows outside the full-text index are found unreliably, so a document is called ready once search
      // can see it. During a bulk ingest (more documents waiting, or still in progress here: the last of
      // them folds everything in) the idle pass below folds them in instead.
      if (running.size > 1 || (await hasQueuedDocuments(deps.db))) dirty = true;
      else await foldIndexes();
      await finishDocument(deps.db, { ...base, status: "ready", chunkCount: result.chunkCount, pages: result.pages });
      deps.log.info({ ...log, chunks: result.chunkCount, pages: result.pages }, "document ready");
    } catch (error) {
      if (error instanceof LeaseLostError) {
        deps.log.warn(log, error.message);
      } else if (isIngestError(error) || doc.attempts >= maxAttempts) {
        const message = isIngestError(error) ? error.message : `failed after ${doc.attempts} attempts: ${(error as Error).message}`;
        await finishDocument(deps.db, { ...base, status: "failed", error: message }).catch(() => {});
        deps.log.warn({ ...log, error: message }, "document failed");
      } else {
        // A passing fault (database, store): give the lease back; this or another worker retries after a backoff.
        const delayMs = Math.min(retryBaseMs * 2 ** (doc.attempts - 1), 600_000);
        const reason = `attempt ${doc.attempts} of ${maxAttempts} failed (${(error as Error).message}); retrying in ${delayMs >= 1000 ? `${Math.round(delayMs / 1000)} s` : `${delayMs} ms`}`;
        deps.log.error({ ...log, err: error, delayMs }, "document attempt failed; will retry");
        await scheduleDocumentRetry(deps.db, { id: doc.id, workerId, version: doc.version, delayMs, reason }).catch(() => {});
      }
    } finally {
      donePreparing();
      clearInterval(heartbeat);
    }
  }

  let lastRefusal: string | undefined;
  async function loop() {
    await listening;
    while (!stopped) {
      const refusal = deps.refusal?.();
      if (refusal) {
        if (refusal !== lastRefusal) deps.log.error({ refusal }, "embedding model refused by the model policy; documents stay queued");
        lastRefusal = refusal;
        await new Promise((r) => setTimeout(r, 5_000));
        continue;
      }
      lastRefusal = undefined;
      if (holding.size >= concurrency) {
        await Promise.race(holding);
        continue;
      }
      let doc: DocumentRow | undefined;
      try {
        doc = await claimNextDocument(deps.db, { workerId, leaseMs });
      } catch (error) {
        deps.log.error({ err: error }, "could not claim a document");
      }
      if (doc) {
        queueEmpty = false;
        let releasePlace = () => {};
        const place: Promise<void> = new Promise<void>((resolve) => (releasePlace = resolve)).then(() => {
          holding.delete(place);
        });
        holding.add(place);
        const task: Promise<void> = processDocument(doc, releasePlace).finally(() => {
          releasePlace();
          running.delete(task);
          notify();
        });
        running.add(task);
        continue;
      }
      if (dirty && running.size === 0) {
        // Rows outside the full-text index are searched poorly: fold them in once the queue drains.
        dirty = false;
        await foldIndexes();
        continue;
      }
      queueEmpty = true;
      if (running.size === 0) idleWaiters.splice(0).forEach((r) => r());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deps.pollMs ?? 2_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }
  const done = loop();

  return {
    workerId,
    async stop() {
      stopped = true;
      notify();
      await done;
      await Promise.all(running);
      if (dirty) await foldIndexes();
      await parser?.close();
      await (await listening)?.unlisten().catch(() => {});
    },
    idle() {
      if (queueEmpty && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
