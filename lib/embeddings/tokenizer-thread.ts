/**
 * A worker thread that tokenises batches for StaticOnnxEmbedder.
 *
 * Why: onnxruntime-node runs session.run synchronously on the JS thread (its
 * async run only defers the call with setImmediate), and tokenising a batch
 * costs more than half of running the model on it. A second thread tokenises
 * batch k + 1 while the main thread runs batch k.
 *
 * Everything crosses in shared memory, because a message per batch cost the
 * main thread more than the tokenising it saved: the caller writes a job's
 * texts as UTF-8 into a SharedArrayBuffer and posts one message as soon as
 * the first batch's texts are written (the thread starts on it while the
 * caller writes the rest, then both tokenise its rows); the thread
 * writes each batch's padded feeds into a ring of shared slots and marks the
 * batch done in a shared state array, which the caller reads without waiting
 * for an event. Batches are claimed with compare-and-swap, so when the thread
 * falls behind (a busy machine) the caller tokenises the batch it needs
 * itself and the thread skips it.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "@/lib/threads/ts-worker";
import type { PackedRows } from "./batch-rows";
import type { PackedTables } from "./packed-vocabulary";
import {
  CALLER_WAITS,
  CLAIMED_BY_CALLER,
  CLAIMED_BY_THREAD,
  DONE,
  FAILED,
  FIRST_BATCH,
  RING_SLOTS,
  ROW_CLAIMS,
  TAKEN,
  TEXTS_READY,
  UNCLAIMED,
  ringSlotStart,
  type TokenizeJobData,
  type TokenizerThreadData,
} from "./tokenizer-protocol";

/** Batch 0 is shared only up to this many rows (the claim counters are 16 bits each). */
const MAX_SHARED_ROWS = 0x7fff;
/**
 * How long the caller spins on batch 0 before sleeping: once the caller has
 * no row left to claim, the thread is finishing its last row, and waking from
 * Atomics.waitAsync through the event loop would add about 0.1 ms. (Later
 * batches are normally ready when taken, so the caller never spins on them.)
 */
const CALLER_SPIN_MS = 1;

/** Byte scratch for job texts up to this size is kept between jobs. */
const KEEP_TEXT_BYTES = 16 << 20;

// Where the file cannot be loaded (a bundled app), the thread fails to start and callers tokenise inline.
const WORKER_FILE = "tokenize-worker.ts";

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class TokenizerThread {
  private ready = false;
  private failure: Error | undefined;
  private activeJobs = 0;
  private textBytes = Buffer.from(new SharedArrayBuffer(1 << 16));
  private readonly scratch: FeedScratch;

  private constructor(
    private readonly worker: Worker,
    private readonly data: TokenizerThreadData,
  ) {
    const feeds = new ArrayBuffer(16 * data.maxBatch * data.maxTokens);
    const { ring } = data;
    this.scratch = { feeds, feedBytes: Buffer.from(feeds), ringBytes: Buffer.from(ring.buffer, ring.byteOffset, ring.byteLength) };
    worker.on("message", (message: { ready?: boolean }) => {
      if (message.ready) this.ready = true;
    });
    worker.on("error", (error) => (this.failure ??= error));
    worker.on("exit", (code) => (this.failure ??= new Error(`tokenizer thread exited with code ${code}`)));
    // An idle thread must not keep the process alive; it is ref'd while a job is open
    // (Atomics.waitAsync alone would not keep the event loop running).
    worker.unref();
  }

  /** Starts the thread; undefined when this runtime cannot start it (callers tokenise inline). */
  static start(options: { tables: PackedTables; maxTokens: number; maxBatch: number }): TokenizerThread | undefined {
    const size = options.maxBatch * options.maxTokens;
    const data: TokenizerThreadData = {
      ...options,
      ring: new BigInt64Array(new SharedArrayBuffer(16 * RING_SLOTS * size)),
      ringCols: new Int32Array(new SharedArrayBuffer(4 * RING_SLOTS)),
    };
    try {
      // turbopackIgnore: a `new URL("./…", import.meta.url)` here made `next build` copy this whole folder into its assets.
      const entry = path.join(/*turbopackIgnore: true*/ path.dirname(fileURLToPath(import.meta.url)), WORKER_FILE);
      return new TokenizerThread(startTsWorker(entry, { workerData: data, execArgv: [] }), data);
    } catch {
      return undefined;
    }
  }

  /** A job is open (submitted and not finished): the ring is one job's, so another must wait or tokenise inline. */
  get busy(): boolean {
    return this.activeJobs > 0;
  }

  /** True once the thread has loaded and while it works. */
  get usable(): boolean {
    return this.ready && !this.failure;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Hands the batches `plan` (indices into `texts`; every batch but the last
   * holds maxBatch texts) to the thread; take them in order from the job.
   * The thread is sent the job once batch 0's texts are written, and starts
   * on batch 0 while the caller writes the other batches' texts; the caller
   * then tokenises batch 0's rows too (claimRow), since the model waits for it.
   */
  submit(texts: readonly string[], plan: readonly (readonly number[])[]): TokenizeJob {
    let chars = 0;
    for (const text of texts) chars += text.length;
    let bytes = this.textBytes;
    if (bytes.length < 3 * chars) {
      bytes = Buffer.from(new SharedArrayBuffer(Math.max(3 * chars, 2 * bytes.length)));
      if (bytes.length <= KEEP_TEXT_BYTES) this.textBytes = bytes;
    }
    const n = plan.reduce((sum, batch) => sum + batch.length, 0);
    const meta = new SharedArrayBuffer(4 * (n + 1) + 4 * (FIRST_BATCH + plan.length) + n);
    const job: TokenizeJobData = {
      bytes,
      offsets: new Int32Array(meta, 0, n + 1),
      state: new Int32Array(meta, 4 * (n + 1), FIRST_BATCH + plan.length),
      ascii: new Uint8Array(meta, 4 * (n + 1 + FIRST_BATCH + plan.length), n),
    };
    // A batch 0 too long for the claim counters is the caller's alone (claimRow always grants it).
    if ((plan[0]?.length ?? 0) > MAX_SHARED_ROWS) job.state[FIRST_BATCH] = CLAIMED_BY_CALLER;
    let end = 0;
    let t = 0;
    for (const [k, batch] of plan.entries()) {
      for (const i of batch) {
        const text = texts[i] ?? "";
        // Room for 3 bytes per UTF-16 unit was made, so nothing is cut short.
        const written = bytes.write(text, end, "utf8");
        if (written === text.length) job.ascii[t] = 1; // any other character takes more than one byte
        end += written;
        job.offsets[++t] = end;
      }
      // Publishes this batch's offsets and bytes (an Atomics store orders the writes before it).
      Atomics.store(job.state, TEXTS_READY, t);
      if (k === 0) this.post(job);
    }
    if (plan.length === 0) this.post(job);
    return new TokenizeJob(this, job.state, n, this.data, this.scratch);
  }

  private post(job: TokenizeJobData): void {
    this.worker.postMessage(job);
    if (this.activeJobs++ === 0) this.worker.ref();
  }

  /** Called by a job's finish(). */
  jobFinished(): void {
    if (--this.activeJobs === 0) this.worker.unref();
  }

  async close(): Promise<void> {
    this.failure ??= new Error("tokenizer thread closed");
    await this.worker.terminate();
  }
}

/** Where take() copies a batch out of the ring (ids, then mask): onnxruntime-node takes no shared memory. */
interface FeedScratch {
  feeds: ArrayBuffer;
  feedBytes: Buffer;
  ringBytes: Buffer;
}

/** The caller's side of one job. */
export class TokenizeJob {
  private finished = false;

  constructor(
    private readonly thread: TokenizerThread,
    private readonly state: Int32Array,
    private readonly texts: number,
    private readonly data: TokenizerThreadData,
    private readonly scratch: FeedScratch,
  ) {}

  /**
   * Claims the next of batch 0's rows (of `rows`) for the caller, from the
   * first one up; false once every row is claimed by either thread. Call
   * before take(0): the caller's rows come first in the batch.
   */
  claimRow(rows: number): boolean {
    if (rows > MAX_SHARED_ROWS) return true; // not shared (see submit)
    const { state } = this;
    for (let claims = Atomics.load(state, ROW_CLAIMS); (claims & 0xffff) + (claims >>> 16) < rows; claims = Atomics.load(state, ROW_CLAIMS)) {
      if (Atomics.compareExchange(state, ROW_CLAIMS, claims, claims + 1) === claims) return true;
    }
    return false;
  }

  /**
   * Batch k's padded rows from the thread (for batch 0, the rows after those
   * the caller claimed); null when the caller must tokenise the rest of the
   * batch itself (it claimed the batch first, or the thread failed).
   * Take batches in order; the rows are valid until the next take() (of any
   * job of this thread: one caller at a time uses a thread).
   */
  async take(k: number): Promise<PackedRows | null> {
    const { state } = this;
    const at = FIRST_BATCH + k;
    if (Atomics.compareExchange(state, at, UNCLAIMED, CLAIMED_BY_CALLER) === UNCLAIMED) return this.released(k, null);
    if (k === 0) {
      // The thread is finishing its last claimed row of the pipeline's first batch: due within microseconds.
      const spinUntil = performance.now() + CALLER_SPIN_MS;
      while (Atomics.load(state, at) === CLAIMED_BY_THREAD && performance.now() < spinUntil);
    }
    for (let s = Atomics.load(state, at); s !== DONE; s = Atomics.load(state, at)) {
      if (s === FAILED || s === CLAIMED_BY_CALLER || this.thread.failed) return this.released(k, null);
      Atomics.store(state, CALLER_WAITS, 1);
      // The timeout only bounds how late a failed thread is noticed.
      const wait = waitAsync(state, at, s, 250);
      if (wait.async) await wait.value;
      Atomics.store(state, CALLER_WAITS, 0);
    }
    const { maxBatch, maxTokens, ringCols } = this.data;
    const slot = k % RING_SLOTS;
    const rows = k === 0 ? Atomics.load(state, ROW_CLAIMS) >>> 16 : Math.min(maxBatch, this.texts - k * maxBatch);
    const cols = ringCols[slot] ?? 1;
    const count = rows * cols;
    const start = 8 * ringSlotStart(maxBatch, maxTokens, slot);
    // Buffer.copy is a plain memcpy; TypedArray.set from shared memory copies far more slowly.
    const { feeds, feedBytes, ringBytes } = this.scratch;
    ringBytes.copy(feedBytes, 0, start, start + 16 * count);
    const rowsOut = { rows, cols, ids: new BigInt64Array(feeds, 0, count), mask: new BigInt64Array(feeds, 8 * count, count) };
    return this.released(k, rowsOut);
  }

  /** Whether batch k is tokenised and waiting in the ring (for tests). */
  ready(k: number): boolean {
    return Atomics.load(this.state, FIRST_BATCH + k) === DONE;
  }

  /** Ends the job early or late: the thread skips batches nobody took and never waits on this job again. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.thread.jobFinished();
    const batches = this.state.length - FIRST_BATCH;
    for (let k = 0; k < batches; k++) Atomics.compareExchange(this.state, FIRST_BATCH + k, UNCLAIMED, CLAIMED_BY_CALLER);
    Atomics.store(this.state, TAKEN, batches + RING_SLOTS);
  }

  /** Marks batch k taken, so the thread may reuse its ring slot. */
  private released<T>(k: number, value: T): T {
    Atomics.store(this.state, TAKEN, k + 1);
    return value;
  }
}
