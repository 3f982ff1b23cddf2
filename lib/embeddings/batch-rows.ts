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
