import { describe, expect, it } from "vitest";
import { packRows, planBatches } from "./batch-rows";
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

  it("reuses one sink across calls without carrying ids over", () => {
    const sink = new TokenIdBuffer(1);
    packRows(tokenizer, ["refund card refund card refund"], 512, sink);
    const rows = packRows(tokenizer, ["card", "Reset"], 512, sink);
    expect({ cols: rows.cols, ids: [...rows.ids], mask: [...rows.mask] }).toEqual({ cols: 1, ids: [4n, 1n], mask: [1n, 1n] });
  });
});
