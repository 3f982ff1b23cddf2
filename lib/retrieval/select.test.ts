import { describe, expect, it } from "vitest";
import { dropNearDuplicates, fitTokenBudget, jaccard, keepLatestVersions, shingles } from "./select";

describe("keepLatestVersions", () => {
  it("keeps only the newest version of each document, in order", () => {
    const chunks = [
      { id: "a2", docId: "a", docVersion: 2 },
      { id: "b1", docId: "b", docVersion: 1 },
      { id: "a1", docId: "a", docVersion: 1 },
      { id: "a2b", docId: "a", docVersion: 2 },
    ];
    expect(keepLatestVersions(chunks).map((c) => c.id)).toEqual(["a2", "b1", "a2b"]);
  });
});

describe("near-duplicates", () => {
  it("builds word 3-shingles", () => {
    expect([...shingles("Reset the VPN token now")]).toEqual(["reset the vpn", "the vpn token", "vpn token now"]);
    expect([...shingles("Two words")]).toEqual(["two words"]);
    expect(shingles("").size).toBe(0);
  });

  it("computes Jaccard similarity", () => {
    expect(jaccard(new Set(["a", "b", "c"]), new Set(["b", "c", "d"]))).toBe(0.5);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });

  it("drops later chunks with the same content hash or overlapping text", () => {
    const base = "refunds are paid to the original card within five business days of approval";
    const chunks = [
      { id: "1", text: base, contentHash: "h1" },
      { id: "2", text: "completely different words about shipping", contentHash: "h1" },
      { id: "3", text: `${base} today`, contentHash: "h3" },
      { id: "4", text: "refunds are paid to a gift card instead", contentHash: "h4" },
    ];
    const { kept, dropped } = dropNearDuplicates(chunks, 0.8);
    // 3 shares 12 of 13 shingles with 1 (0.92); 4 shares 2 of 16 (0.125).
    expect(kept.map((c) => c.id)).toEqual(["1", "4"]);
    expect(dropped).toBe(2);
    expect(dropNearDuplicates(chunks, 0.95).kept.map((c) => c.id)).toEqual(["1", "3", "4"]);
  });
});

describe("fitTokenBudget", () => {
  const countTokens = (t: string) => t.split(" ").length;
  const chunks = ["a b c d", "e f g h i j", "k l", "m n o", "p"].map((text, i) => ({ id: i, text }));

  it("takes chunks best first, skipping one that does not fit, up to k", () => {
    const { kept, skipped } = fitTokenBudget(chunks, { k: 3, budget: 9, countTokens });
    expect(kept.map((c) => [c.id, c.tokens])).toEqual([
      [0, 4],
      [2, 2],
      [3, 3],
    ]);
    expect(skipped).toBe(1);
  });

  it("stops at k even with budget left", () => {
    expect(fitTokenBudget(chunks, { k: 2, budget: 100, countTokens }).kept.map((c) => c.id)).toEqual([0, 1]);
  });

  it("returns nothing when the budget is below every chunk", () => {
    expect(fitTokenBudget(chunks, { k: 6, budget: 0, countTokens })).toEqual({ kept: [], skipped: 5 });
  });
});
