/** Batch planning and int64 feed packing for the static embedder. */
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
 * first, so each batch pads little. Sorted by character length, a close
 * enough proxy for token count that needs no tokenising. Ties keep input order.
 */
export function planBatches(texts: readonly string[], maxBatch: number): number[][] {
  const order = byLength(texts);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += maxBatch) {
    const end = Math.min(order.length, start + maxBatch);
    const batch = new Array<number>(end - start);
    for (let k = start; k < end; k++) batch[k - start] = order[k]!;
    batches.push(batch);
  }
  return batches;
}

/** Lengths up to this are counting-sorted; a longer text makes a comparison sort cheaper than the counts. */
const COUNTING_SORT_MAX_LENGTH = 1 << 16;

/**
 * Indices of `texts` in a stable sort by length. A counting sort: it runs at
 * the start of every embed() call, and lengths are small integers.
 */
function byLength(texts: readonly string[]): Int32Array {
  const n = texts.length;
  const order = new Int32Array(n);
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, texts[i]?.length ?? 0);
  if (longest > COUNTING_SORT_MAX_LENGTH) {
    // length * n + index is an exact float key below 2^53 (V8 strings stay under 2^30 characters).
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (texts[i]?.length ?? 0) * n + i;
    keys.sort();
    for (let k = 0; k < n; k++) order[k] = (keys[k] ?? 0) % n;
    return order;
  }
  // starts[len + 1] counts texts of length len; prefix sums then give each length's first slot.
  const starts = new Int32Array(longest + 2);
  for (let i = 0; i < n; i++) starts[(texts[i]?.length ?? 0) + 1]!++;
  for (let len = 1; len < starts.length; len++) starts[len]! += starts[len - 1]!;
  for (let i = 0; i < n; i++) order[starts[texts[i]?.length ?? 0]!++] = i;
  return order;
}

/**
 * Tokenise `texts` (at most maxTokens ids each) into padded int64 rows. The
 * int64 values are written as the low words of a zeroed buffer: ids are small
 * non-negative ints, so no BigInt is made per element (little-endian hosts).
 * `sink` is scratch for the ids, reused across calls.
 */
export function packRows(tokenizer: WordTokenizer, texts: readonly string[], maxTokens: number, sink = new TokenIdBuffer()): PackedRows {
  const rows = texts.length;
  const ends = new Int32Array(rows);
  // At least one column: a zero-width tensor would be an edge case for every op.
  let cols = 1;
  sink.length = 0;
  for (let r = 0; r < rows; r++) {
    cols = Math.max(cols, tokenizer.encodeInto(texts[r]!, maxTokens, sink));
    ends[r] = sink.length;
  }
  const ids = new BigInt64Array(rows * cols);
  const mask = new BigInt64Array(rows * cols);
  const idWords = new Int32Array(ids.buffer);
  const maskWords = new Int32Array(mask.buffer);
  const tokens = sink.ids;
  let from = 0;
  for (let r = 0; r < rows; r++) {
    const to = ends[r]!;
    for (let k = from, o = 2 * r * cols; k < to; k++, o += 2) {
      idWords[o] = tokens[k]!;
      maskWords[o] = 1;
    }
    from = to;
  }
  return { rows, cols, ids, mask };
}
