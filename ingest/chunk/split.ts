/**
 * Splitting one over-long span into pieces that each fit the token budget:
 * lines (lists, tables, code), then sentences, then words, then characters.
 */
import type { TokenCounter } from "@/lib/embeddings/types";
import type { BlockKind } from "@/ingest/parse/types";

/** A [start, end) range of the document text. */
export interface Span {
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** Trim whitespace off both ends of a span; undefined when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | undefined {
  while (start < end && /\s/.test(text[start] ?? "")) start++;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
  return end > start ? { start, end } : undefined;
}

export function lineSpans(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let s = span.start;
  for (let i = span.start; i <= span.end; i++) {
    if (i === span.end || text[i] === "\n") {
      const t = trimSpan(text, s, i);
      if (t) out.push(t);
      s = i + 1;
    }
  }
  return out;
}

export function sentenceSpans(text: string, span: Span): Span[] {
  const out: Span[] = [];
  for (const seg of segmenter.segment(text.slice(span.start, span.end))) {
    const t = trimSpan(text, span.start + seg.index, span.start + seg.index + seg.segment.length);
    if (t) out.push(t);
  }
  return out;
}

export function wordSpans(text: string, span: Span): Span[] {
  const out: Span[] = [];
  const re = /\S+/g;
  const slice = text.slice(span.start, span.end);
  for (let m = re.exec(slice); m; m = re.exec(slice)) out.push({ start: span.start + m.index, end: span.start + m.index + m[0].length });
  return out;
}

/** Pack consecutive word spans greedily into spans of at most `target` tokens. */
function packWords(text: string, words: Span[], counter: TokenCounter, target: number): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < words.length) {
    const first = words[i] as Span;
    let j = i;
    while (j + 1 < words.length && counter.countTokens(text.slice(first.start, (words[j + 1] as Span).end)) <= target) j++;
    out.push({ start: first.start, end: (words[j] as Span).end });
    i = j + 1;
  }
  return out;
}

/** Cut a single over-long word into the longest prefixes that fit (at least one character each). */
function cutChars(text: string, span: Span, counter: TokenCounter, target: number): Span[] {
  const out: Span[] = [];
  let s = span.start;
  while (s < span.end) {
    let lo = s + 1;
    let hi = span.end;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (counter.countTokens(text.slice(s, mid)) <= target) lo = mid;
      else hi = mid - 1;
    }
    out.push({ start: s, end: lo });
    s = lo;
  }
  return out;
}

type Level = "lines" | "sentences" | "words";

/** Split a span until every piece fits `target` tokens, trying coarse boundaries first. */
export function splitToFit(text: string, span: Span, kind: BlockKind, counter: TokenCounter, target: number): Span[] {
  const levels: Level[] = kind === "list" || kind === "table" || kind === "code" ? ["lines", "sentences", "words"] : ["sentences", "words"];
  return splitAt(text, span, levels, counter, target);
}

function splitAt(text: string, span: Span, levels: Level[], counter: TokenCounter, target: number): Span[] {
  if (counter.countTokens(text.slice(span.start, span.end)) <= target) return [span];
  const [level, ...rest] = levels;
  if (level === undefined) return cutChars(text, span, counter, target);
  if (level === "words") {
    const words = wordSpans(text, span);
    const fitting = words.flatMap((w) => (counter.countTokens(text.slice(w.start, w.end)) <= target ? [w] : cutChars(text, w, counter, target)));
    return packWords(text, fitting, counter, target);
  }
  const pieces = level === "lines" ? lineSpans(text, span) : sentenceSpans(text, span);
  // One piece means this boundary does not help; go finer straight away.
  if (pieces.length <= 1) return splitAt(text, span, rest, counter, target);
  return pieces.flatMap((p) => splitAt(text, p, rest, counter, target));
}
