/**
 * Worker thread entry (see tokenizer-thread.ts): tokenises the batches of
 * each job it is sent into the shared feed ring, in order, skipping batches
 * the caller has claimed.
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
  SLOT_POLL_MS,
  TAKEN,
  UNCLAIMED,
  ringSlotStart,
  type TokenizeJobData,
  type TokenizerThreadData,
} from "./tokenizer-thread";

const port = parentPort;
if (!port) throw new Error("tokenize-worker.ts runs as a worker thread only");
const { tables, maxTokens, maxBatch, ring, ringCols } = workerData as TokenizerThreadData;
const tokenizer = new WordTokenizer(new PackedVocabulary(tables));
const sink = new TokenIdBuffer(1 << 14);
const ends = new Int32Array(maxBatch);
const decoder = new TextDecoder();
// The ring as int32 words: the low and high word of each int64 value (little-endian).
const ringWords = new Int32Array(ring.buffer, ring.byteOffset, 2 * ring.length);

/** Tokenises texts [first, last) of `job` into ring slot `slot` (padded like packRows). */
function fillSlot(job: TokenizeJobData, first: number, last: number, slot: number): void {
  sink.length = 0;
  let cols = 1;
  for (let i = first; i < last; i++) {
    const from = job.offsets[i] ?? 0;
    const to = job.offsets[i + 1] ?? from;
    const count = job.ascii[i]
      ? tokenizer.encodeAscii(job.bytes, from, to, maxTokens, sink)
      : tokenizer.encodeInto(decoder.decode(job.bytes.slice(from, to)), maxTokens, sink);
    cols = Math.max(cols, count);
    ends[i - first] = sink.length;
  }
  // ids at the slot's start, the mask right after them (see TokenizerThreadData.ring).
  const ids = 2 * ringSlotStart(maxBatch, maxTokens, slot);
  const mask = ids + 2 * (last - first) * cols;
  const tokens = sink.ids;
  let k = 0;
  for (let r = 0, o = 0; r < last - first; r++) {
    const end = ends[r] ?? k;
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
    let outcome = DONE;
    try {
      fillSlot(job, k * maxBatch, Math.min(texts, (k + 1) * maxBatch), k % RING_SLOTS);
    } catch {
      outcome = FAILED; // the caller tokenises the batch itself and meets the error there
    }
    Atomics.store(state, FIRST_BATCH + k, outcome);
    if (Atomics.load(state, CALLER_WAITS) !== 0) Atomics.notify(state, FIRST_BATCH + k);
  }
}

port.on("message", runJob);
port.postMessage({ ready: true });
