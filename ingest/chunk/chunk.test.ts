import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { markdownDocument } from "@/ingest/parse/markdown";
import type { Block } from "@/ingest/parse/types";
import type { TokenCounter } from "@/lib/embeddings/types";
import { chunkDocument, type Chunk } from "./chunk";
import { lastFitting, sentenceSpans, type Span } from "./split";

/** The trivial tokenizer for exact tests: whitespace-separated words. */
const words = { countTokens: (t: string) => t.split(/\s+/).filter(Boolean).length };
const strip = (chunks: Chunk[]) => chunks.map(({ contentHash: _h, ...c }) => c);

const handbook = `# Refunds

Intro paragraph one two three.

## Windows

Refunds are issued within 14 days. Hardware returns take 30 days. Software is 7 days. Contact support for more.

- item one is here
- item two is here
- item three is here

## Empty

# Billing

Invoices go out monthly.`;

describe("chunkDocument", () => {
  it("keeps whole sections as single chunks under the default 256-token target", () => {
    const doc = markdownDocument("markdown", handbook);
    expect(strip(chunkDocument(doc, words))).toEqual([
      { index: 0, text: "# Refunds\n\nIntro paragraph one two three.", headingPath: ["Refunds"], start: 0, end: 41, tokens: 7 },
      {
        index: 1,
        text: "## Windows\n\nRefunds are issued within 14 days. Hardware returns take 30 days. Software is 7 days. Contact support for more.\n\n- item one is here\n- item two is here\n- item three is here",
        headingPath: ["Refunds", "Windows"],
        start: 43,
        end: 226,
        tokens: 36,
      },
      // A heading with nothing under it travels with the next section instead of standing alone.
      { index: 2, text: "## Empty\n\n# Billing\n\nInvoices go out monthly.", headingPath: ["Billing"], start: 228, end: 273, tokens: 8 },
    ]);
  });

  it("splits down to sentences, then words, with overlap taken from the previous chunk", () => {
    const doc = markdownDocument("markdown", handbook);
    const chunks = chunkDocument(doc, words, { targetTokens: 10, overlap: 0.3 });
    expect(strip(chunks)).toEqual([
      { index: 0, text: "# Refunds\n\nIntro paragraph one two three.", headingPath: ["Refunds"], start: 0, end: 41, tokens: 7 },
      { index: 1, text: "## Windows\n\nRefunds are issued within 14 days.", headingPath: ["Refunds", "Windows"], start: 43, end: 89, tokens: 8 },
      { index: 2, text: "within 14 days. Hardware returns take 30 days.", headingPath: ["Refunds", "Windows"], start: 74, end: 120, tokens: 8 },
      { index: 3, text: "take 30 days. Software is 7 days.", headingPath: ["Refunds", "Windows"], start: 107, end: 140, tokens: 7 },
      { index: 4, text: "is 7 days. Contact support for more.", headingPath: ["Refunds", "Windows"], start: 130, end: 166, tokens: 7 },
      { index: 5, text: "support for more.\n\n- item one is here", headingPath: ["Refunds", "Windows"], start: 149, end: 186, tokens: 8 },
      { index: 6, text: "one is here\n- item two is here", headingPath: ["Refunds", "Windows"], start: 175, end: 205, tokens: 8 },
      { index: 7, text: "two is here\n- item three is here", headingPath: ["Refunds", "Windows"], start: 194, end: 226, tokens: 8 },
      { index: 8, text: "## Empty\n\n# Billing\n\nInvoices go out monthly.", headingPath: ["Billing"], start: 228, end: 273, tokens: 8 },
    ]);
    for (const c of chunks) {
      expect(c.text).toBe(doc.text.slice(c.start, c.end));
      expect(c.tokens).toBeLessThanOrEqual(10);
      expect(c.contentHash).toBe(createHash("sha256").update(c.text).digest("hex"));
    }
  });

  it("prefers whole sentences for the overlap when they fit", () => {
    const text = "# T\n\nOne two. Three four. Five six. Seven eight.";
    const doc = markdownDocument("markdown", text);
    expect(chunkDocument(doc, words, { targetTokens: 8, overlap: 0.25 }).map((c) => c.text)).toEqual([
      "# T\n\nOne two. Three four. Five six.",
      "Five six. Seven eight.",
    ]);
  });

  it("records page ranges, including pages reached by the overlap", () => {
    const text = "# Manual\n\nAlpha beta gamma delta.\n\nEpsilon zeta eta theta.\n\nIota kappa lambda mu.";
    const blocks: Block[] = [
      { kind: "heading", text: "Manual", level: 1, page: 1, start: 0, end: 8 },
      { kind: "paragraph", text: "Alpha beta gamma delta.", page: 1, start: 10, end: 33 },
      { kind: "paragraph", text: "Epsilon zeta eta theta.", page: 2, start: 35, end: 58 },
      { kind: "paragraph", text: "Iota kappa lambda mu.", page: 3, start: 60, end: 81 },
    ];
    expect(strip(chunkDocument({ text, blocks }, words, { targetTokens: 10, overlap: 0.2 }))).toEqual([
      { index: 0, text: "# Manual\n\nAlpha beta gamma delta.\n\nEpsilon zeta eta theta.", headingPath: ["Manual"], start: 0, end: 58, tokens: 10, pageStart: 1, pageEnd: 2 },
      { index: 1, text: "eta theta.\n\nIota kappa lambda mu.", headingPath: ["Manual"], start: 48, end: 81, tokens: 6, pageStart: 2, pageEnd: 3 },
    ]);
  });

  it("packs CSV records whole and never splits one that fits", () => {
    const text = "a: 1; b: 2\na: 3; b: 4\na: 5; b: 6";
    const blocks: Block[] = [0, 11, 22].map((s) => ({ kind: "record", text: text.slice(s, s + 10), start: s, end: s + 10 }));
    expect(strip(chunkDocument({ text, blocks }, words, { targetTokens: 8, overlap: 0 }))).toEqual([
      { index: 0, text: "a: 1; b: 2\na: 3; b: 4", headingPath: [], start: 0, end: 21, tokens: 8 },
      { index: 1, text: "a: 5; b: 6", headingPath: [], start: 22, end: 32, tokens: 4 },
    ]);
  });

  it("cuts a single over-long token run by characters as a last resort", () => {
    const fourCharsPerToken = { countTokens: (t: string) => Math.ceil(t.length / 4) };
    const text = "x".repeat(40);
    const chunks = chunkDocument({ text, blocks: [{ kind: "paragraph", text, start: 0, end: 40 }] }, fourCharsPerToken, { targetTokens: 8, overlap: 0 });
    expect(strip(chunks)).toEqual([
      { index: 0, text: "x".repeat(32), headingPath: [], start: 0, end: 32, tokens: 8 },
      { index: 1, text: "x".repeat(8), headingPath: [], start: 32, end: 40, tokens: 2 },
    ]);
  });

  it("splits over-long lists and tables by lines before sentences", () => {
    const text = "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |";
    const chunks = chunkDocument({ text, blocks: [{ kind: "table", text, start: 0, end: text.length }] }, words, { targetTokens: 10, overlap: 0 });
    expect(chunks.map((c) => c.text)).toEqual(["| a | b |\n| --- | --- |", "| 1 | 2 |\n| 3 | 4 |"]);
  });

  it("marks a chunk as OCR when any of its text was read from a scanned page", () => {
    const typed = "Typed page text with six words.";
    const scanned = "Scanned page text with six words.";
    const text = `${typed}\n\n${scanned}`;
    const blocks: Block[] = [
      { kind: "paragraph", text: typed, page: 1, start: 0, end: typed.length },
      { kind: "paragraph", text: scanned, page: 2, ocr: true, start: typed.length + 2, end: text.length },
    ];
    expect(chunkDocument({ text, blocks }, words).map((c) => [c.pageStart, c.pageEnd, c.ocr ?? false])).toEqual([[1, 2, true]]);
    expect(chunkDocument({ text, blocks }, words, { targetTokens: 8, overlap: 0 }).map((c) => [c.pageStart, c.ocr ?? false])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it("is pure: the same input gives the same output", () => {
    const doc = markdownDocument("markdown", handbook);
    expect(chunkDocument(doc, words, { targetTokens: 12 })).toEqual(chunkDocument(doc, words, { targetTokens: 12 }));
  });

  it("validates options", () => {
    const doc = markdownDocument("markdown", handbook);
    expect(() => chunkDocument(doc, words, { overlap: 0.9 })).toThrow();
    expect(() => chunkDocument(doc, words, { targetTokens: 2 })).toThrow();
    expect(chunkDocument({ text: "", blocks: [] }, words)).toEqual([]);
  });
});

describe("chunkDocument invariants on the sample handbook", () => {
  const source = readFileSync(path.resolve(import.meta.dirname, "../sample-kb/source/refunds-and-returns.md"), "utf8");
  const doc = markdownDocument("markdown", source);

  for (const [targetTokens, overlap] of [[16, 0], [32, 0.15], [64, 0.15], [256, 0.15], [100, 0.5]] as const) {
    it(`target ${targetTokens}, overlap ${overlap}: bounded, exact offsets, nothing lost`, () => {
      const chunks = chunkDocument(doc, words, { targetTokens, overlap });
      const covered = new Uint8Array(doc.text.length);
      chunks.forEach((c, i) => {
        expect(c.index).toBe(i);
        expect(c.text).toBe(doc.text.slice(c.start, c.end));
        expect(c.tokens).toBeLessThanOrEqual(targetTokens);
        covered.fill(1, c.start, c.end);
      });
      for (const b of doc.blocks) for (let k = b.start; k < b.end; k++) if (!/\s/.test(doc.text[k] ?? "")) expect(covered[k]).toBe(1);
      // Chunks advance: each starts after the previous one started.
      for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
    });
  }
});

describe("lastFitting (sums of per-unit counts, confirmed by real counts)", () => {
  /** The definition: extend one unit at a time while the whole run from `start` still fits. */
  function naive(text: string, units: Span[], from: number, start: number, counter: TokenCounter, target: number): number {
    let j = from;
    while (j + 1 < units.length && counter.countTokens(text.slice(start, units[j + 1]!.end)) <= target) j++;
    return j;
  }
  const counters: Record<string, TokenCounter> = {
    words,
    // Additive and says so: runs are sized from the sums alone.
    "words (additive)": { ...words, additive: true },
    // Not additive: every count carries two special tokens, as BERT-style tokenizers do.
    specials: { countTokens: (t) => words.countTokens(t) + 2 },
    // Not additive at all: about four characters a token.
    quarter: { countTokens: (t) => Math.ceil(t.length / 4) },
  };
  const text = "Alpha beta. Gamma delta epsilon. Zeta eta theta iota kappa. Lambda. Mu nu xi omicron pi rho sigma. Tau upsilon phi chi psi omega.";
  const units = sentenceSpans(text, { start: 0, end: text.length });

  for (const [name, counter] of Object.entries(counters)) {
    it(`agrees with the one-unit-at-a-time loop (${name})`, () => {
      let calls = 0;
      const counting = { countTokens: (t: string) => (calls++, counter.countTokens(t)) };
      for (const target of [3, 5, 8, 13, 21, 40]) {
        for (let from = 0; from < units.length; from++) {
          for (const start of [units[from]!.start, Math.max(0, units[from]!.start - 6)]) {
            const fresh = units.map((u) => ({ start: u.start, end: u.end }));
            const fromTokens = counter.countTokens(text.slice(start, fresh[from]!.end));
            const got = lastFitting(text, fresh, from, start, fromTokens, counting, target, counter.countTokens(""));
            const want = naive(text, fresh, from, start, counter, target);
            expect(got.index).toBe(want);
            expect(got.tokens).toBe(counter.countTokens(text.slice(start, fresh[want]!.end)));
          }
        }
      }
      expect(calls).toBeGreaterThan(0);
    });
  }

  it("counts a run of whitespace-separated units at most twice when the counter is additive", () => {
    const fresh = units.map((u) => ({ ...u, tokens: words.countTokens(text.slice(u.start, u.end)) }));
    const counted: string[] = [];
    const counting = { countTokens: (t: string) => (counted.push(t), words.countTokens(t)) };
    const got = lastFitting(text, fresh, 0, 0, fresh[0]!.tokens, counting, 10);
    expect(got).toEqual({ index: 2, tokens: 10 });
    // The run that fits (its count is the chunk's) and the one that does not.
    expect(counted).toEqual([text.slice(0, fresh[2]!.end), text.slice(0, fresh[3]!.end)]);
  });

  it("counts no run at all when the counter declares itself additive, but still counts across units that touch", () => {
    const counted: string[] = [];
    const additive = { countTokens: (t: string) => (counted.push(t), words.countTokens(t)), additive: true };
    const fresh = units.map((u) => ({ ...u, tokens: words.countTokens(text.slice(u.start, u.end)) }));
    expect(lastFitting(text, fresh, 0, 0, fresh[0]!.tokens, additive, 10)).toEqual({ index: 2, tokens: 10 });
    expect(counted).toEqual([]);
    // "Alpha" and "beta" as units with nothing between them: "Alphabeta" is one word, not two.
    const glued = "Alphabeta gamma";
    const pieces = [{ start: 0, end: 5, tokens: 1 }, { start: 5, end: 9, tokens: 1 }, { start: 10, end: 15, tokens: 1 }];
    expect(lastFitting(glued, pieces, 0, 0, 1, additive, 2)).toEqual({ index: 2, tokens: 2 });
    expect(counted.length).toBeGreaterThan(0);
  });
});
