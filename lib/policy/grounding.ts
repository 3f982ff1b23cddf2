/**
 * Whether an answer's sentences are backed by the passages they cite, by word
 * overlap: a sentence is supported when a cited passage holds enough of its
 * content words. Crude, but cheap, explainable and independent of the model.
 */
import { words } from "@/lib/retrieval/words";

const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its " +
    "just may me might more most must my no not of on or our out over she should so some such than that the their them " +
    "then there these they this those to too up us very was we were what when where which while who why will with would " +
    "you your yours also any all each other only own same both few about after again against because before being below " +
    "between during further here once under until above down off through"
  ).split(" "),
);

/** Crude suffix stripping so "refunds"/"refunded"/"refunding" meet. */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith("ed")) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith("es")) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

/** The stemmed words that carry meaning (numbers included: they are the facts most often wrong). */
export function contentWords(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stem);
}

const CITATION = /\[(\d{1,3})\]/g;

/** The [n] numbers in a text, in order, without repeats. */
export function citationNumbers(text: string): number[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => Number(m[1])))];
}

/** Sentences of an answer, with markdown list markers and headings counted as breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\d[("'])|\n+\s*(?:[-*•]|\d+[.)])?\s*/u)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export interface SentenceSupport {
  sentence: string;
  /** Best share of the sentence's content words found in one of its passages. */
  support: number;
  /** 1-based passage number that supports it best, if any. */
  bestPassage: number | null;
}

/**
 * Support of each checkable sentence (three or more content words). A
 * sentence is checked against the passages it cites itself, or else the ones
 * the whole answer cites.
 */
export function sentenceSupport(answer: string, passages: readonly string[], citedInAnswer: readonly number[]): SentenceSupport[] {
  const passageWords = passages.map((p) => new Set(contentWords(p)));
  const out: SentenceSupport[] = [];
  for (const sentence of splitSentences(answer)) {
    const own = citationNumbers(sentence);
    const claim = contentWords(sentence.replace(CITATION, " "));
    if (claim.length < 3) continue;
    const candidates = (own.length > 0 ? own : citedInAnswer).filter((n) => n >= 1 && n <= passages.length);
    let support = 0;
    let bestPassage: number | null = null;
    for (const n of candidates) {
      const set = passageWords[n - 1]!;
      const share = claim.filter((w) => set.has(w)).length / claim.length;
      if (share > support) {
        support = share;
        bestPassage = n;
      }
    }
    out.push({ sentence, support, bestPassage });
  }
  return out;
}
