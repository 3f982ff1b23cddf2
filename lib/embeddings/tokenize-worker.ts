/**
 * Worker thread entry (see tokenizer-thread.ts; the shared-memory protocol is
 * in tokenizer-protocol.ts): tokenises the batches of each job it is sent into
 * the shared feed ring, in order, skipping batches the caller has claimed.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PackedVocabulary } from "./packed-vocabulary";
import { TokenIdBuffer } from "./token-buffer";
import { WordTokenizer } from "./tokenizer";
import {
  CALLER_WAITS,
  CLAIMED_BY_THREAD,
  DONE,
  FAILED,
  FIRST_BATCH,
  RING_SLOTS,
  ROW_CLAIMS,
  SLOT_POLL_MS,
  TAKEN,
  TEXTS_READY,
  TEXT_POLL_MS,
  UNCLAIMED,
  ringSlotStart,
  type TokenizeJobData,
  type TokenizerThreadData,
} from "./tokenizer-protocol";

const port = parentPort;
if (!port) throw new Error("tokenize-worker.ts runs as a worker thread only");
const { tables, maxTokens, maxBatch, ring, ringCols } = workerData as TokenizerThreadData;
const tokenizer = new WordTokenizer(new PackedVocabulary(tables));
const sink = new TokenIdBuffer(1 << 14);
const ends = new Int32Array(maxBatch);
const decoder = new TextDecoder();
// The ring as int32 words: the low and high word of each int64 value (little-endian).
const ringWords = new Int32Array(ring.buffer, ring.byteOffset, 2 * ring.length);

/** Appends the ids of job text i to the sink; returns how many. */
function encodeText(job: TokenizeJobData, i: number): number {
  const from = job.offsets[i] ?? 0;
  const to = job.offsets[i + 1] ?? from;
  return job.ascii[i]
    ? tokenizer.encodeAscii(job.bytes, from, to, maxTokens, sink)
    : tokenizer.encodeInto(decoder.decode(job.bytes.slice(from, to)), maxTokens, sink);
}

/** Tokenises texts [first, last) of `job` into ring slot `slot` (padded like packRows). */
function fillSlot(job: TokenizeJobData, first: number, last: number, slot: number): void {
  sink.length = 0;
  let cols = 1;
  for (let i = first; i < last; i++) {
    cols = Math.max(cols, encodeText(job, i));
    ends[i - first] = sink.length;
  }
  writeSlot(slot, last - first, cols, false);
}

/**
 * Batch 0, shared with the caller: claims its rows from the last one down
 * (the caller claims from the first one up) until the two meet, then writes
 * the rows it got, in row order, into slot 0.
 */
function fillFirstSlot(job: TokenizeJobData, rows: number): void {
  const { state } = job;
  sink.length = 0;
  let cols = 1;
  let got = 0;
  for (let claims = Atomics.load(state, ROW_CLAIMS); (claims & 0xffff) + (claims >>> 16) < rows; claims = Atomics.load(state, ROW_CLAIMS)) {
    if (Atomics.compareExchange(state, ROW_CLAIMS, claims, claims + 0x10000) !== claims) continue;
    cols = Math.max(cols, encodeText(job, rows - 1 - (claims >>> 16)));
    ends[got++] = sink.length;
  }
  writeSlot(0, got, cols, true);
}

/**
 * Pads the `rows` rows in the sink (row r ends at ends[r]; with `reversed`,
 * they were tokenised last row first) into ring slot `slot`.
 */
function writeSlot(slot: number, rows: number, cols: number, reversed: boolean): void {
  // ids at the slot's start, the mask right after them (see TokenizerThreadData.ring).
  const ids = 2 * ringSlotStart(maxBatch, maxTokens, slot);
  const mask = ids + 2 * rows * cols;
  const tokens = sink.ids;
  for (let r = 0, o = 0; r < rows; r++) {
    const j = reversed ? rows - 1 - r : r;
    let k = j === 0 ? 0 : (ends[j - 1] ?? 0);
    const end = ends[j] ?? k;
    for (let c = 0; c < cols; c++, o += 2) {
      const real = k < end;
      ringWords[ids + o] = real ? (tokens[k++] ?? 0) : 0;
      ringWords[ids + o + 1] = 0;
      ringWords[mask + o] = real ? 1 : 0;
      ringWords[mask + o + 1] = 0;
    }
  }
  ringCols[slot] = cols;
}

function runJob(job: TokenizeJobData): void {
  const { state } = job;
  const batches = state.length - FIRST_BATCH;
  const texts = job.ascii.length;
  for (let k = 0; k < batches; k++) {
    if (Atomics.compareExchange(state, FIRST_BATCH + k, UNCLAIMED, CLAIMED_BY_THREAD) !== UNCLAIMED) continue;
    // The slot is free once the caller has taken batch k - RING_SLOTS.
    for (let taken = Atomics.load(state, TAKEN); taken < k - RING_SLOTS + 1; taken = Atomics.load(state, TAKEN)) {
      Atomics.wait(state, TAKEN, taken, SLOT_POLL_MS);
    }
    const last = Math.min(texts, (k + 1) * maxBatch);
    // The caller writes later batches' texts while this thread works on batch 0.
    for (let ready = Atomics.load(state, TEXTS_READY); ready < last; ready = Atomics.load(state, TEXTS_READY)) {
      Atomics.wait(state, TEXTS_READY, ready, TEXT_POLL_MS);
    }
    let outcome = DONE;
    try {
      if (k === 0) fillFirstSlot(job, last);
      else fillSlot(job, k * maxBatch, last, k % RING_SLOTS);
    } catch {
      outcome = FAILED; // the caller tokenises the batch itself and meets the error there
    }
    Atomics.store(state, FIRST_BATCH + k, outcome);
    if (Atomics.load(state, CALLER_WAITS) !== 0) Atomics.notify(state, FIRST_BATCH + k);
  }
}

port.on("message", runJob);
port.postMessage({ ready: true });
