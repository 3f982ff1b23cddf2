/**
 * A pool of worker threads that prepare documents (parse, chunk, embed: the
 * CPU-bound work), so on a machine with several cores documents are prepared
 * side by side while the worker's own thread writes to PostgreSQL and the
 * vector store. Same contract as prepareDocument; errors keep their
 * IngestError code across the thread boundary.
 */
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { IngestError } from "@/ingest/parse";
import type { EmbedderConfig } from "@/lib/embeddings/factory";
import type { PoolReply, PoolRequest, PoolThreadData } from "./pool-protocol";
import type { PreparedDocument, PrepareInput, PrepareOptions, Preparer } from "./prepare";
import { startTsWorker } from "./ts-worker";

export interface PreparePoolOptions {
  /** Threads in the pool (at least 1); started on first use. */
  size: number;
  /** The embedder each thread loads: the same model as `embedderId`. */
  embedder: EmbedderConfig;
  embedderId: string;
  /** Start every thread now, so they load while the caller does other work (default: on first use). */
  warm?: boolean;
}

/** The model a pool's threads loaded. */
export interface PoolModel {
  embedderId: string;
  dimensions: number;
}

/** A Preparer backed by worker threads; close() ends them. */
export interface PreparePool extends Preparer {
  readonly size: number;
  /** The model, once a thread has loaded it (starting one if none runs); rejects when none can. */
  loaded(): Promise<PoolModel>;
  close(): Promise<void>;
}

interface Job {
  id: number;
  input: PrepareInput;
  opts: PrepareOptions;
  resolve(doc: PreparedDocument): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  job?: Job;
  /** Settles once the thread has loaded (or failed to) or exited. */
  settled: Promise<void>;
}

/** Longest wait, when closing, for a thread still loading: terminating one inside a native module's setup is not safe. */
const SETTLE_MS = 10_000;

export function createPreparePool(options: PreparePoolOptions): PreparePool {
  const size = Math.max(1, Math.floor(options.size));
  // The thread's entry is TypeScript with "@/" imports.
  const entry = fileURLToPath(new URL("./pool-worker.ts", import.meta.url));
  const { log: _log, fetch: _fetch, ...embedder } = options.embedder;
  const workerData: PoolThreadData = { embedder };
  const threads = new Set<Thread>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let modelLoaded = (_: PoolModel) => {};
  let modelFailed = (_: Error) => {};
  const model = new Promise<PoolModel>((resolve, reject) => ((modelLoaded = resolve), (modelFailed = reject)));
  model.catch(() => {}); // read only through loaded()

  function spawn(): void {
    const worker = startTsWorker(entry, { workerData });
    let settle = () => {};
    const thread: Thread = { worker, ready: false, settled: new Promise<void>((resolve) => (settle = resolve)) };
    worker.once("message", () => settle());
    worker.once("exit", () => settle());
    threads.add(thread);
    worker.on("message", (message: PoolReply) => onMessage(thread, message));
    // An uncaught error ends the thread; "exit" follows and settles its job.
    worker.on("error", (error) => thread.job?.reject(new Error(`the prepare thread failed: ${error.message}`, { cause: error })));
    worker.on("exit", (code) => {
      threads.delete(thread);
      const job = thread.job;
      thread.job = undefined;
      job?.reject(new Error(`the prepare thread stopped (exit code ${code}) while preparing "${job.input.fileName}"`));
      if (!closed && thread.ready) dispatch();
    });
  }

  function onMessage(thread: Thread, message: PoolReply): void {
    if (message.type === "ready" || message.type === "start-failed") {
      if (message.type === "start-failed" || message.embedderId !== options.embedderId) {
        // Every thread would fail the same way: fail the waiting work instead of starting threads forever.
        const why = message.type === "start-failed" ? message.message : `it loaded ${message.embedderId}, not ${options.embedderId}`;
        const error = new Error(`the prepare thread could not load the embedding model: ${why}`);
        for (const job of queue.splice(0)) job.reject(error);
        modelFailed(error);
        void thread.worker.terminate();
        return;
      }
      thread.ready = true;
      modelLoaded({ embedderId: message.embedderId, dimensions: message.dimensions });
      dispatch();
      return;
    }
    const job = thread.job;
    if (!job || job.id !== message.id) return; // an answer for a job already given up (aborted)
    if (message.type === "progress") {
      job.opts.onProgress?.(message.stage, message.progress, message.facts);
      return;
    }
    thread.job = undefined;
    if (message.type === "done") job.resolve(message.doc);
    else job.reject(toError(message.error));
    dispatch();
  }

  /** Threads keep the process alive only while there is work; an idle pool never holds up exit. */
  function holdWhileBusy(): void {
    const busy = queue.length > 0 || [...threads].some((t) => t.job);
    for (const t of threads) {
      if (busy) t.worker.ref();
      else t.worker.unref();
    }
  }

  function dispatch(): void {
    try {
      assign();
    } finally {
      holdWhileBusy();
    }
  }

  function assign(): void {
    while (!closed && queue.length > 0) {
      const idle = [...threads].find((t) => t.ready && !t.job);
      if (!idle) {
        // Threads still starting will pick up the queue when ready.
        const starting = [...threads].filter((t) => !t.ready).length;
        if (threads.size < size && starting < queue.length) spawn();
        else return;
        continue;
      }
      const job = queue.shift() as Job;
      if (job.opts.signal?.aborted) {
        job.reject(job.opts.signal.reason);
        continue;
      }
      idle.job = job;
      // A copy the thread can own: the caller's bytes may be a view into Node's shared Buffer pool.
      const bytes = new Uint8Array(job.input.bytes);
      const request: PoolRequest = { type: "prepare", id: job.id, fileName: job.input.fileName, bytes, chunkOptions: job.input.chunkOptions };
      idle.worker.postMessage(request, [bytes.buffer]);
    }
  }

  if (options.warm) for (let i = 0; i < size; i++) spawn();
  holdWhileBusy();

  return {
    size,
    embedderId: options.embedderId,
    loaded() {
      if (threads.size === 0 && !closed) spawn();
      return model;
    },
    prepare(input, opts = {}) {
      if (closed) return Promise.reject(new Error("the prepare pool is closed"));
      opts.signal?.throwIfAborted();
      return new Promise<PreparedDocument>((resolve, reject) => {
        const job: Job = { id: nextId++, input, opts, resolve, reject };
        const onAbort = () => {
          const index = queue.indexOf(job);
          if (index >= 0) queue.splice(index, 1);
          // The thread stays busy until it notices; its late answer is ignored.
          for (const t of threads) if (t.job === job) t.worker.postMessage({ type: "abort", id: job.id } satisfies PoolRequest);
          reject(opts.signal?.reason);
        };
        opts.signal?.addEventListener("abort", onAbort, { once: true });
        const settle = <T>(fn: (value: T) => void) => (value: T) => {
          opts.signal?.removeEventListener("abort", onAbort);
          fn(value);
        };
        job.resolve = settle(resolve);
        job.reject = settle(reject);
        queue.push(job);
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error("the prepare pool was closed"));
      await Promise.all(
        [...threads].map(async (t) => {
          await Promise.race([t.settled, new Promise((resolve) => setTimeout(resolve, SETTLE_MS).unref())]);
          await t.worker.terminate();
        }),
      );
    },
  };
}

function toError(error: Extract<PoolReply, { type: "failed" }>["error"]): Error {
  if (error.code) return new IngestError(error.code, error.message);
  const out = new Error(error.message);
  out.name = error.name;
  if (error.stack) out.stack = error.stack;
  return out;
}
