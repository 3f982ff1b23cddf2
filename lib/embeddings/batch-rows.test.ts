import { describe, expect, it } from "vitest";
import { packRows, planBatches, RowTokens } from "./batch-rows";
import { TokenIdBuffer } from "./token-buffer";
import { WordTokenizer } from "./tokenizer";

const tokenizer = new WordTokenizer(new Map(["[PAD]", "reset", "password", "refund", "card"].map((w, i) => [w, i])));

describe("planBatches", () => {
  it("orders by character length, keeps input order on ties, and cuts at maxBatch", () => {
    expect(planBatches(["ccc", "a", "bb", "d", "eee", ""], 4)).toEqual([[5, 1, 3, 2], [0, 4]]);
    expect(planBatches([], 4)).toEqual([]);
    expect(planBatches(["x"], 64)).toEqual([[0]]);
  });

  it("orders texts too long for the counting sort the same way", () => {
    const long = "w".repeat(70_000);
    const texts = [long + "x", "bb", long, "a", "bb", long + "x", ""];
    expect(planBatches(texts, 3)).toEqual([[6, 3, 1], [4, 2, 0], [5]]);
  });
});

describe("packRows", () => {
  it("pads rows to the longest with id 0 and mask 0, truncating at maxTokens", () => {
    const rows = packRows(tokenizer, ["Reset password", "", "refund card refund card", "🙂"], 3);
    expect({ rows: rows.rows, cols: rows.cols }).toEqual({ rows: 4, cols: 3 });
    expect([...rows.ids]).toEqual([1n, 2n, 0n, 0n, 0n, 0n, 3n, 4n, 3n, 0n, 0n, 0n]);
    expect([...rows.mask]).toEqual([1n, 1n, 0n, 0n, 0n, 0n, 1n, 1n, 1n, 0n, 0n, 0n]);
  });

  it("gives one zero column when no row has a token (no zero-width tensor)", () => {
    const rows = packRows(tokenizer, ["", "日本語"], 512);
    expect({ rows: rows.rows, cols: rows.cols, ids: [...rows.ids], mask: [...rows.mask] }).toEqual({ rows: 2, cols: 1, ids: [0n, 0n], mask: [0n, 0n] });
  });

  it("packs rows tokenised here followed by a tail packed elsewhere exactly as packRows packs them all", () => {
    const texts = ["refund", "Reset password card", "", "card card", "🙂", "password"];
    const want = packRows(tokenizer, texts, 512);
    for (const cut of [1, 2, 3, 5]) {
      // Either side may hold the longest row, so either side's width may win.
      const tail = packRows(tokenizer, texts.slice(cut), 512);
      const head = new RowTokens(tokenizer, 512, new TokenIdBuffer(), cut);
      for (const text of texts.slice(0, cut)) head.add(text);
      const joined = head.pack(tail);
      expect({ ...joined, ids: [...joined.ids], mask: [...joined.mask] }).toEqual({ ...want, ids: [...want.ids], mask: [...want.mask] });
    }
  });
});
