/**
 * Batch planning and int64 feed packing for the static embedder, shared by
 * the main thread and the tokenizer worker (so both produce identical rows).
 */
import { TokenIdBuffer } from "./token-buffer";
import type { WordTokenizer } from "./tokenizer";

/** Padded [rows, cols] token ids and attention mask, as the ONNX graph takes them (int64). */
export interface PackedRows {
  rows: number;
  cols: number;
  ids: BigInt64Array;
  mask: BigInt64Array;
}

/**
 * Indices of `texts` cut into batches of at most maxBatch, shortest texts
 * first, so each batch pads little. Sorted by character length, not token
 * count, so the plan exists before any text is tokenised and tokenising can
 * overlap the model run. Ties keep input order.
 */
export function planBatches(texts: readonly string[], maxBatch: number): number[][] {
  const n = texts.length;
  // length * n + index is an exact float key below 2^53 (V8 strings stay under 2^30 characters).
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (texts[i]?.length ?? 0) * n + i;
  keys.sort();
  const batches: number[][] = [];
  for (let start = 0; start < n; start += maxBatch) {
    const batch: number[] = [];
    for (let k = start; k < Math.min(n, start + maxBatch); k++) batch.push((keys[k] ?? 0) % n);
    batches.push(batch);
  }
  return batches;
}

/**
 * Tokenise `texts` (at most maxTokens ids each) into padded int64 rows. The
 * int64 values are written as the low words of a zeroed buffer: ids are small
 * non-negative ints, so no BigInt is made per element (little-endian hosts).
 */
export function packRows(
  tokenizer: WordTokenizer,
  texts: readonly string[],
  maxTokens: number,
  sink = new TokenIdBuffer(),
): PackedRows {
  const rows = texts.length;
  const ends = new Int32Array(rows);
  sink.length = 0;
  let cols = 1; // a zero-width tensor would be an edge case for every op
  for (let r = 0; r < rows; r++) {
    cols = Math.max(cols, tokenizer.encodeInto(texts[r] ?? "", maxTokens, sink));
    ends[r] = sink.length;
  }
  const ids = new BigInt64Array(rows * cols);
  const mask = new BigInt64Array(rows * cols);
  const idWords = new Int32Array(ids.buffer);
  const maskWords = new Int32Array(mask.buffer);
  const tokens = sink.ids;
  let from = 0;
  for (let r = 0; r < rows; r++) {
    const to = ends[r] ?? from;
    for (let k = from, o = 2 * r * cols; k < to; k++, o += 2) {
      idWords[o] = tokens[k] ?? 0;
      maskWords[o] = 1;
    }
    from = to;
  }
  return { rows, cols, ids, mask };
}
