/**
 * The ingest worker: leases queued documents from Postgres and runs the
 * pipeline, a few at a time so one document's parsing overlaps another's
 * embedding. Any number of workers (processes) can share the queue.
 *
 * The parts: scheduler.ts keeps count of places and commits (no I/O),
 * lease-loop.ts claims documents while there is room, process-document.ts
 * runs one through the pipeline and records the outcome. This file wires them
 * to Postgres, the vector store and the prepare threads.
 */
import crypto from "node:crypto";
import type postgres from "postgres";
import type { Database } from "@/db/client";
import { claimDocuments, finishDocuments, INGEST_CHANNEL, reportProgressOfDocuments } from "@/db/queries/documents";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import type { EmbedderConfig } from "@/lib/embeddings/factory";
import type { Embedder } from "@/lib/embeddings/types";
import type { VectorStore } from "@/lib/vectorstore";
import { createBatcher } from "./batcher";
import { createGroupAppend } from "./group-append";
import { createWakeup, startLeaseLoop } from "./lease-loop";
import { registerWorker } from "./worker-registry";
import { createPreparePool, type PreparePool } from "./prepare/pool";
import { inlinePreparer } from "./prepare/prepare";
import { processDocument, type ClaimedDocument, type DocumentContext } from "./process-document";
import { IngestScheduler } from "./scheduler";
import type { WorkerLog } from "./worker-log";

export type { WorkerLog };

export interface IngestWorkerDeps {
  db: Database;
  sql: postgres.Sql;
  store: VectorStore;
  /** This thread's embedder: needed unless `threads` is a pool, which embeds with its own. */
  embedder?: Embedder;
  filesDir: string;
  log: WorkerLog;
  /** Documents in progress at once (default 2; at least eight per prepare thread). */
  concurrency?: number;
  /**
   * Worker threads that parse, chunk and embed (INGEST_PARSE_WORKERS): a pool the caller
   * started (and closes), or the size of one to start, each thread loading `embedder`
   * (the configuration of deps.embedder). Without them this thread does it all.
   */
  threads?: PreparePool | { size: number; embedder: EmbedderConfig };
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
  const leaseMs = deps.leaseMs ?? 120_000;
  const given = deps.threads && "prepare" in deps.threads ? deps.threads : undefined;
  const embedder = deps.embedder;
  if (given && embedder && given.embedderId !== embedder.id) throw new Error(`the prepare pool embeds with ${given.embedderId}, the store expects ${embedder.id}`);
  const threads = Math.max(0, Math.floor(deps.threads?.size ?? 0));
  // Several documents per prepare thread, so a thread is never idle while this one writes,
  // and claims come in groups (see IngestScheduler.claimRoom).
  const concurrency = Math.max(deps.concurrency ?? 2, 8 * threads);
  const owned = !given && embedder && deps.threads && threads > 0 && "embedder" in deps.threads ? createPreparePool({ size: threads, embedder: deps.threads.embedder, embedderId: embedder.id }) : undefined;
  const pool = given ?? owned;
  const preparer = pool ?? (embedder && inlinePreparer(embedder));
  if (!preparer) throw new Error("the ingest worker needs an embedder or a prepare pool");
  const wakeup = createWakeup();
  const scheduler = new IngestScheduler({ concurrency, maxWaitingCommits: MAX_WAITING_COMMITS, wake: wakeup.notify });
  /** Folds rows written since the last time into the indexes; a failure is logged, search still works meanwhile. */
  const foldIndexes = () => deps.store.ensureIndexes({ force: true }).catch((e: Error) => deps.log.error({ err: e }, "index maintenance failed"));
  const listening = deps.sql.listen(INGEST_CHANNEL, () => wakeup.notify()).catch((e: Error) => deps.log.warn({ err: e }, "LISTEN failed; polling only"));
  const registration = registerWorker(deps.db, workerId, {
    onDeadNeighbours: (ids) => {
      deps.log.info({ workers: ids }, "taking over the documents of workers whose process is gone");
      wakeup.notify();
    },
    onError: (e) => deps.log.warn({ err: e }, "worker heartbeat failed; leases still expire"),
  });
  const context: DocumentContext = {
    db: deps.db,
    store: deps.store,
    preparer,
    filesDir: deps.filesDir,
    log: deps.log,
    workerId,
    leaseMs,
    maxAttempts: deps.maxAttempts ?? 3,
    retryBaseMs: deps.retryBaseMs ?? 10_000,
    // A group commit lingers while documents are still preparing, so their chunks join the same commit.
    append: createGroupAppend(deps.store, { more: () => scheduler.preparing > 0 }),
    foldIndexes,
    report: createBatcher((inputs) => reportProgressOfDocuments(deps.db, inputs)),
    finish: createBatcher((inputs) => finishDocuments(deps.db, inputs)),
  };
  const loop = startLeaseLoop({
    scheduler,
    wakeup,
    ready: Promise.all([listening, registration.ready]),
    claim: (limit) => claimWithSettings(deps.db, { workerId, leaseMs, limit }),
    process: (doc, slot) => processDocument(doc, slot, context),
    foldIndexes,
    refusal: deps.refusal,
    log: deps.log,
    pollMs: deps.pollMs ?? 2_000,
  });

  return {
    workerId,
    async stop() {
      await loop.stop();
      await registration.leave();
      if (scheduler.takeUnfolded()) await foldIndexes();
      await owned?.close();
      await (await listening)?.unlisten().catch(() => {});
    },
    idle: () => new Promise((resolve) => scheduler.whenIdle(resolve)),
  };
}

/** Leases up to `limit` documents, each with its knowledge base's chunk settings (one lookup per knowledge base). */
async function claimWithSettings(db: Database, input: { workerId: string; leaseMs: number; limit: number }): Promise<ClaimedDocument[]> {
  const docs = await claimDocuments(db, input);
  const kbs = new Map<string, ClaimedDocument["kb"]>();
  for (const kbId of new Set(docs.map((d) => d.kbId))) kbs.set(kbId, await getKnowledgeBase(db, { id: kbId }));
  return docs.map((doc) => ({ doc, kb: kbs.get(doc.kbId) }));
}
