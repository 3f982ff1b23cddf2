/**
 * Whether an answer's sentences are backed by the passages they cite, by word
 * overlap: a sentence is supported when a cited passage holds enough of its
 * content words. Crude, but cheap, explainable and independent of the model.
 */
import { contentWords } from "@/lib/retrieval/words";


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
