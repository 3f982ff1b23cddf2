/**
 * The chunker: a pure function from a parsed document to token-bounded
 * chunks. It works down the structure — a heading starts a new section,
 * blocks are packed within a section, and only blocks that do not fit are
 * split by lines, sentences and words. Consecutive chunks of one section
 * overlap by whole sentences (or words) taken from the previous chunk.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { TokenCounter } from "@/lib/embeddings/types";
import type { Block, BlockKind } from "@/ingest/parse/types";
import { lastFitting, sentenceSpans, spanTokens, splitToFit, wordSpans, type Span } from "./split";

/** Per-knowledge-base chunking settings; validate stored settings with this schema. */
export const chunkOptionsSchema = z.object({
  /** Most tokens in a chunk (overlap included). */
  targetTokens: z.number().int().min(8).max(8192).default(256),
  /** Share of targetTokens repeated from the previous chunk of the same section. */
  overlap: z.number().min(0).max(0.5).default(0.15),
});

export type ChunkOptions = z.infer<typeof chunkOptionsSchema>;

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { targetTokens: 256, overlap: 0.15 };

export interface Chunk {
  index: number;
  /** Always equal to documentText.slice(start, end). */
  text: string;
  headingPath: string[];
  pageStart?: number;
  pageEnd?: number;
  start: number;
  end: number;
  /** Tokens in `text` according to the TokenCounter. */
  tokens: number;
  /** sha256 hex of `text`. */
  contentHash: string;
  /** Some of it was read by OCR from a scanned page. */
  ocr?: boolean;
}

interface Unit extends Span {
  kind: BlockKind;
  page?: number;
  ocr?: boolean;
}

interface Section {
  headingPath: string[];
  units: Unit[];
  /** True while the section holds nothing but its heading. */
  headingOnly: boolean;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function toSections(text: string, blocks: Block[], counter: TokenCounter, target: number): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: Section | undefined;
  for (const b of blocks) {
    const units: Unit[] = splitToFit(text, { start: b.start, end: b.end }, b.kind, counter, target).map((s) => ({
      ...s,
      kind: b.kind,
      ...(b.page === undefined ? {} : { page: b.page }),
      ...(b.ocr ? { ocr: true } : {}),
    }));
    if (b.kind === "heading") {
      const level = b.level ?? 1;
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= level) stack.pop();
      stack.push({ level, text: b.text });
      const path = stack.map((h) => h.text);
      // A heading with nothing under it yet is carried into the next section instead of being a chunk alone.
      if (current?.headingOnly) current = Object.assign(current, { headingPath: path, units: [...current.units, ...units] });
      else sections.push((current = { headingPath: path, units, headingOnly: true }));
    } else {
      if (!current) sections.push((current = { headingPath: [], units: [], headingOnly: false }));
      current.units.push(...units);
      current.headingOnly = false;
    }
  }
  return sections;
}

/** Earliest boundary in (prev.start, prev.end) whose tail fits `budget` tokens: sentences first, then words. */
function overlapStart(text: string, prev: Span, budget: number, counter: TokenCounter): number | undefined {
  if (budget <= 0) return undefined;
  const fits = (p: number) => counter.countTokens(text.slice(p, prev.end)) <= budget;
  for (const spans of [sentenceSpans(text, prev), wordSpans(text, prev)]) {
    const starts = spans.map((s) => s.start).filter((p) => p > prev.start);
    // Tails shrink as the start moves right, so binary-search the first start that fits.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fits(starts[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    if (lo < starts.length) return starts[lo];
  }
  return undefined;
}

/** Split a parsed document into token-bounded chunks. Pure: same input, same output. */
export function chunkDocument(doc: { text: string; blocks: Block[] }, counter: TokenCounter, options: Partial<ChunkOptions> = {}): Chunk[] {
  const { targetTokens: target, overlap } = chunkOptionsSchema.parse({ ...DEFAULT_CHUNK_OPTIONS, ...options });
  const overlapBudget = Math.floor(target * overlap);
  const { text } = doc;
  const chunks: Chunk[] = [];
  if (doc.blocks.length === 0) return chunks;
  // Each unit is counted once (splitToFit does it); runs of units are sized from the sums and confirmed with a count or two.
  const overhead = counter.countTokens("");
  const tokensOf = (u: Span) => spanTokens(text, u, counter);
  for (const section of toSections(text, doc.blocks, counter, target)) {
    const { units } = section;
    let prev: Span | undefined;
    let i = 0;
    while (i < units.length) {
      const first = units[i] as Unit;
      let start = first.start;
      let startTokens = tokensOf(first);
      const ov = prev ? overlapStart(text, prev, overlapBudget, counter) : undefined;
      if (ov !== undefined) {
        const withOverlap = counter.countTokens(text.slice(ov, first.end));
        if (withOverlap <= target) [start, startTokens] = [ov, withOverlap];
      }
      let { index: j, tokens } = lastFitting(text, units, i, start, startTokens, counter, target, overhead);
      if (j === i && first.kind === "heading" && i + 1 < units.length) {
        // Rather than leave a heading alone in a chunk, cut the next block to fill the space after it.
        const next = units[i + 1] as Unit;
        const room = target - startTokens;
        const pieces = room > 0 ? splitToFit(text, next, next.kind, counter, room) : [];
        const withPiece = pieces.length > 1 ? counter.countTokens(text.slice(start, (pieces[0] as Span).end)) : Infinity;
        if (withPiece <= target) {
          units.splice(i + 1, 1, ...pieces.map((p) => ({ ...next, ...p })));
          ({ index: j, tokens } = lastFitting(text, units, i + 1, start, withPiece, counter, target, overhead));
        }
      }
      const end = (units[j] as Unit).end;
      const chunkText = text.slice(start, end);
      const chunk: Chunk = { index: chunks.length, text: chunkText, headingPath: section.headingPath, start, end, tokens, contentHash: sha256Hex(chunkText) };
      let k = i;
      while (k > 0 && (units[k - 1] as Unit).end > start) k--; // units the overlap reaches back into
      const covered = units.slice(k, j + 1);
      if (covered.some((u) => u.ocr)) chunk.ocr = true;
      const pages = covered.flatMap((u) => (u.page === undefined ? [] : [u.page]));
      if (pages.length > 0) {
        chunk.pageStart = Math.min(...pages);
        chunk.pageEnd = Math.max(...pages);
      }
      chunks.push(chunk);
      prev = { start, end };
      i = j + 1;
    }
  }
  return chunks;
}
