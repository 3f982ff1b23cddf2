/**
 * Whether a retrieved chunk is about the question at all. Fused scores are
 * rank-based (the best hit always scores high), so "nothing relevant" is
 * judged on absolute signals: how many of the question's content words the
 * chunk contains, and how close its vector is.
 */
import { contentWords } from "@/lib/retrieval/words";

/** Share of the question's distinct content words that appear in the text. */
export function queryCoverage(question: string, text: string): number {
  const q = [...new Set(contentWords(question))];
  if (q.length === 0) return 0;
  const t = new Set(contentWords(text));
  return q.filter((w) => t.has(w)).length / q.length;
}

export interface RelevanceThresholds {
  /** Minimum share of question words in the chunk (heading path included). */
  minCoverage: number;
  /** Cosine similarity at which the vector alone makes a chunk relevant. */
  minCosine: number;
}

export const DEFAULT_RELEVANCE: RelevanceThresholds = { minCoverage: 0.5, minCosine: 0.8 };

/** A relevance in [0, 1]: the stronger of word coverage and (scaled) cosine similarity. */
export function relevanceOf(question: string, chunk: { text: string; headingPath: string; vectorScore: number | null }, t: RelevanceThresholds = DEFAULT_RELEVANCE): number {
  const coverage = queryCoverage(question, `${chunk.headingPath}\n${chunk.text}`);
  const cosine = chunk.vectorScore ?? 0;
  // Scale cosine so that minCosine maps onto minCoverage: one threshold then serves both.
  const scaledCosine = cosine >= t.minCosine ? t.minCoverage + (cosine - t.minCosine) * (1 - t.minCoverage) / (1 - t.minCosine) : (cosine / t.minCosine) * t.minCoverage * 0.99;
  return Math.max(coverage, Math.max(0, scaledCosine));
}
