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
 * the start of every embed() call, before the first model run, where a
 * comparison sort of 1,000 keys cost three times as much.
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
 * Rows tokenised so far, unpadded: row r's ids are sink.ids[ends[r - 1], ends[r]).
 * Lets a caller tokenise some of a batch's rows while the tokenizer thread
 * does the others, then pack both into one batch.
 */
export class RowTokens {
  rows = 0;
  /** Longest row so far; at least 1, since a zero-width tensor would be an edge case for every op. */
  cols = 1;
  private readonly ends: Int32Array;

  constructor(
    private readonly tokenizer: WordTokenizer,
    private readonly maxTokens: number,
    private readonly sink: TokenIdBuffer,
    capacity: number,
  ) {
    sink.length = 0;
    this.ends = new Int32Array(capacity);
  }

  /** Tokenises `text` (at most maxTokens ids) as the next row. */
  add(text: string): this {
    this.cols = Math.max(this.cols, this.tokenizer.encodeInto(text, this.maxTokens, this.sink));
    this.ends[this.rows++] = this.sink.length;
    return this;
  }

  /**
   * These rows padded to int64 feeds, followed by `tail`'s rows (the same
   * batch's remaining rows, packed elsewhere): exactly what packRows makes of
   * all the texts at once. The int64 values are written as the low words of a
   * zeroed buffer: ids are small non-negative ints, so no BigInt is made per
   * element (little-endian hosts).
   */
  pack(tail?: PackedRows): PackedRows {
    const head = this.rows;
    const rows = head + (tail?.rows ?? 0);
    const cols = Math.max(this.cols, tail?.cols ?? 1);
    const ids = new BigInt64Array(rows * cols);
    const mask = new BigInt64Array(rows * cols);
    const idWords = new Int32Array(ids.buffer);
    const maskWords = new Int32Array(mask.buffer);
    const tokens = this.sink.ids;
    let from = 0;
    for (let r = 0; r < head; r++) {
      const to = this.ends[r] ?? from;
      for (let k = from, o = 2 * r * cols; k < to; k++, o += 2) {
        idWords[o] = tokens[k] ?? 0;
        maskWords[o] = 1;
      }
      from = to;
    }
    if (tail) {
      for (let r = 0; r < tail.rows; r++) {
        const at = (head + r) * cols;
        ids.set(tail.ids.subarray(r * tail.cols, (r + 1) * tail.cols), at);
        mask.set(tail.mask.subarray(r * tail.cols, (r + 1) * tail.cols), at);
      }
    }
    return { rows, cols, ids, mask };
  }
}

/** Tokenise `texts` (at most maxTokens ids each) into padded int64 rows (see RowTokens.pack). */
export function packRows(
  tokenizer: WordTokenizer,
  texts: readonly string[],
  maxTokens: number,
  sink = new TokenIdBuffer(),
): PackedRows {
  const rows = new RowTokens(tokenizer, maxTokens, sink, texts.length);
  for (const text of texts) rows.add(text);
  return rows.pack();
}
