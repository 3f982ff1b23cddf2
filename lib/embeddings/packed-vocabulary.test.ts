import { describe, expect, it } from "vitest";
import { PackedVocabulary } from "./packed-vocabulary";

const vocab = new Map([["[PAD]", 0], ["reset", 1], ["e-mail", 2], ["authentication", 3], ["xxauthentication", 4], ["café", 5], ["Mixed", 6]]);
const bytes = (s: string) => new TextEncoder().encode(s);

/** findFolded as the tokenizer calls it: the key of the lowercased word. */
function find(packed: PackedVocabulary, word: string): number {
  let key0 = 0;
  let key1 = 0;
  for (const c of word.toLowerCase()) {
    key1 = (key1 << 8) | (key0 >>> 24);
    key0 = (key0 << 8) | c.charCodeAt(0);
  }
  return packed.findFolded(bytes(word), 0, word.length, key0, key1);
}

describe("PackedVocabulary", () => {
  it("finds ASCII tokens by exact string and by case-folded bytes", () => {
    const packed = PackedVocabulary.build(vocab);
    expect(["reset", "e-mail", "authentication", "xxauthentication", "[PAD]", "Mixed"].map((t) => packed.get(t))).toEqual([1, 2, 3, 4, 0, 6]);
    expect(["Reset", "mixed", "yyauthentication", "authenticatio", ""].map((t) => packed.get(t))).toEqual([-1, -1, -1, -1, -1]);
    expect(["RESET", "E-Mail", "Authentication", "XXAUTHENTICATION"].map((w) => find(packed, w))).toEqual([1, 2, 3, 4]);
    // Stored with an upper-case letter, so a lowercased word never matches it.
    expect(["yyauthentication", "Mixed", "resets"].map((w) => find(packed, w))).toEqual([-1, -1, -1]);
  });

  it("keeps non-ASCII tokens aside and names every id", () => {
    const packed = PackedVocabulary.build(vocab);
    expect(packed.get("café")).toBe(5);
    expect(find(packed, "cafe")).toBe(-1);
    expect([0, 1, 3, 5, 99].map((id) => packed.tokenOf(id))).toEqual(["[PAD]", "reset", "authentication", "café", ""]);
  });
});
