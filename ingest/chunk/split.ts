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
  /** Tokens in the span, when already counted (splitToFit fills it in so the chunker need not count again). */
  tokens?: number;
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

/** Tokens in a span, counted once and remembered on it. */
export function spanTokens(text: string, span: Span, counter: TokenCounter): number {
  return (span.tokens ??= counter.countTokens(text.slice(span.start, span.end)));
}

/**
 * The last unit `j ≥ from` such that text[start, units[j].end) fits `target`
 * tokens, where unit `from` is taken to fit; `fromTokens` is that run's count.
 *
 * Same answer as extending one unit at a time and counting each longer run
 * from `start` (quadratic), for any counter whose count never drops as a run
 * grows: the per-unit counts, summed, guess the answer (exactly, for a counter
 * that is additive across the gaps between units), and at most a couple of
 * real counts confirm it (none for an additive counter with whitespace between
 * the units). `overhead` is the count of "" (special tokens) that each unit's
 * own count includes once. Returns the index and the run's count.
 */
export function lastFitting(
  text: string,
  units: readonly Span[],
  from: number,
  start: number,
  fromTokens: number,
  counter: TokenCounter,
  target: number,
  overhead = 0,
): { index: number; tokens: number } {
  let guess = from;
  let estimate = fromTokens;
  let exact = counter.additive === true;
  while (guess + 1 < units.length) {
    const next = estimate + spanTokens(text, units[guess + 1] as Span, counter) - overhead;
    if (next > target) break;
    // Sums are exact for an additive counter while units are apart (whitespace between them).
    exact &&= /\s/.test(text.charAt((units[guess] as Span).end));
    estimate = next;
    guess++;
  }
  if (exact && (guess + 1 >= units.length || /\s/.test(text.charAt((units[guess] as Span).end)))) return { index: guess, tokens: estimate };
  const count = (j: number) => counter.countTokens(text.slice(start, (units[j] as Span).end));
  let j = guess;
  let tokens = j === from ? fromTokens : count(j);
  // The guess was too long: walk back to the last run that fits.
  while (j > from && tokens > target) tokens = --j === from ? fromTokens : count(j);
  if (j < guess) return { index: j, tokens };
  // The guess fits: walk on while longer runs still fit.
  while (j + 1 < units.length) {
    const longer = count(j + 1);
    if (longer > target) break;
    j++;
    tokens = longer;
  }
  return { index: j, tokens };
}

/** Pack consecutive word spans greedily into spans of at most `target` tokens. */
function packWords(text: string, words: Span[], counter: TokenCounter, target: number): Span[] {
  const out: Span[] = [];
  const overhead = counter.countTokens("");
  let i = 0;
  while (i < words.length) {
    const first = words[i] as Span;
    const { index: j, tokens } = lastFitting(text, words, i, first.start, spanTokens(text, first, counter), counter, target, overhead);
    out.push({ start: first.start, end: (words[j] as Span).end, tokens });
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
  const tokens = counter.countTokens(text.slice(span.start, span.end));
  if (tokens <= target) return [{ start: span.start, end: span.end, tokens }];
  const [level, ...rest] = levels;
  if (level === undefined) return cutChars(text, span, counter, target);
  if (level === "words") {
    const words = wordSpans(text, span);
    const fitting = words.flatMap((w) => (spanTokens(text, w, counter) <= target ? [w] : cutChars(text, w, counter, target)));
    return packWords(text, fitting, counter, target);
  }
  const pieces = level === "lines" ? lineSpans(text, span) : sentenceSpans(text, span);
  // One piece means this boundary does not help; go finer straight away.
  if (pieces.length <= 1) return splitAt(text, span, rest, counter, target);
  return pieces.flatMap((p) => splitAt(text, p, rest, counter, target));
}
