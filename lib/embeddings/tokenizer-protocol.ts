/**
 * The shared-memory protocol between StaticOnnxEmbedder's caller side
 * (tokenizer-thread.ts) and its tokenizer thread (tokenize-worker.ts): the
 * layout of a job's state array, the batch states, the feed ring and the
 * data each side hands the other. Kept apart so the thread loads none of the
 * caller's code.
 */
import type { PackedTables } from "./packed-vocabulary";

/**
 * A job's state array: TAKEN counts the batches the caller has taken (so their
 * ring slots are free again); CALLER_WAITS is set while the caller sleeps on a
 * batch; TEXTS_READY counts the texts (in batch order) the caller has written
 * so far; then one claim state per batch. The caller never notifies (it would
 * pay for the thread's wake-up on the thread that runs the model): a thread
 * waiting for a free slot or for texts polls instead, and the thread
 * notifies the caller only when the caller sleeps.
 */
export const TAKEN = 0;
export const CALLER_WAITS = 1;
export const TEXTS_READY = 2;
/**
 * Batch 0's rows, which both threads tokenise: the low 16 bits count the rows
 * the caller has claimed from the first one up, the high 16 bits those the
 * thread has claimed from the last one down (each claim a compare-and-swap).
 * So the caller never waits for a thread that is slow to start (it just
 * claims more rows) and the thread never idles while the caller works.
 */
export const ROW_CLAIMS = 3;
export const FIRST_BATCH = 4;
/** How often a thread waiting for a free ring slot looks again (it is ahead then, so a late wake-up costs nothing). */
export const SLOT_POLL_MS = 0.5;
/** How often a thread waiting for the caller to finish writing a batch's texts looks again (a few texts' worth of writing). */
export const TEXT_POLL_MS = 0.02;
/** Batch states. */
export const UNCLAIMED = 0;
export const CLAIMED_BY_THREAD = 1;
export const CLAIMED_BY_CALLER = 2;
export const DONE = 3;
export const FAILED = 4;

/** Feed slots in the ring: the thread may run this many batches ahead of the caller. */
export const RING_SLOTS = 8;

/** workerData of tokenize-worker.ts. */
export interface TokenizerThreadData {
  tables: PackedTables;
  maxTokens: number;
  maxBatch: number;
  /**
   * RING_SLOTS slots of 2 × maxBatch × maxTokens int64: a batch of rows × cols
   * puts its ids at the start of its slot and its mask right after them, so
   * the caller copies both out with one memcpy.
   */
  ring: BigInt64Array;
  /** Columns of the batch in each slot. */
  ringCols: Int32Array;
}

/**
 * One embed() call's texts, in batch order: batch k is texts k·maxBatch …
 * (k+1)·maxBatch − 1. Texts [0, state[TEXTS_READY]) are written; the rest are
 * being written while the thread starts on batch 0.
 */
export interface TokenizeJobData {
  /** UTF-8 of the texts back to back; text i is bytes[offsets[i], offsets[i + 1]). */
  bytes: Uint8Array;
  offsets: Int32Array;
  /** 1 where text i is all ASCII (its bytes are its characters). */
  ascii: Uint8Array;
  state: Int32Array;
}

/** Element offset of ring slot `slot` (slot s holds the batches k with k % RING_SLOTS = s). */
export function ringSlotStart(maxBatch: number, maxTokens: number, slot: number): number {
  return 2 * slot * maxBatch * maxTokens;
}
