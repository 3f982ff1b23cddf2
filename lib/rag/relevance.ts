/**
 * Whether a retrieved chunk is about the question at all. Fused scores are
 * rank-based (the best hit always scores high), so "nothing relevant" is
 * judged on absolute signals: how many of the question's content words the
 * chunk contains, and how close its vector is.
 */
import { contentWords, matchWords } from "@/lib/retrieval/words";

/**
 * Words agents use around any question ("customer says they tried again …"): they
 * tell nothing about which passage answers it, so coverage leaves them out.
 * Listed as contentWords() returns them (stemmed).
 */
const CHATTER = new Set(
  (
    "customer client user person someone somebody people guy say said tell told ask want need know think help try tri thing way " +
    "time long lot bunch ok okay hi hello thank thanks hey still already now today yesterday tomorrow week month year day " +
    "happen go going went make made take took see saw look use work way can't cant dont don't doesnt isnt wont im i'm " +
    "anything something everything nothing really actually just even also again back right new old one two what"
  )
    .split(" ")
    .flatMap((w) => contentWords(w)),
);

/** The question's distinct content words that say what it is about (agents' chatter left out), stemmed. */
export function topicWords(question: string): Set<string> {
  return new Set(contentWords(question).filter((w) => !CHATTER.has(w)));
}

/** Same word, or the same stem in another form ("deleted" / "deletion"): five shared letters. */
function sameWord(a: string, b: string): boolean {
  return a === b || (a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5));
}

/** The question's distinct content words (chatter left out) that appear in the text, and how many it has. */
function sharedWords(question: string, text: string): { shared: number; total: number } {
  const q = [...new Set(matchWords(question).filter((w) => !CHATTER.has(w)))];
  const t = [...new Set(matchWords(text))];
  return { shared: q.filter((w) => t.some((x) => sameWord(w, x))).length, total: q.length };
}

/** Share of the question's distinct content words (chatter left out) that appear in the text. */
export function queryCoverage(question: string, text: string): number {
  const { shared, total } = sharedWords(question, text);
  return total === 0 ? 0 : shared / total;
}

export interface RelevanceThresholds {
  /** Minimum share of question words in the chunk (heading path included). */
  minCoverage: number;
  /** Distinct question words in one chunk that make it relevant, whatever their share. */
  minSharedWords: number;
  /** Cosine similarity at which the vector alone makes a chunk relevant. */
  minCosine: number;
}

export const DEFAULT_RELEVANCE: RelevanceThresholds = { minCoverage: 0.4, minSharedWords: 2, minCosine: 0.8 };

/** A relevance in [0, 1]: the stronger of word coverage and (scaled) cosine similarity. */
export function relevanceOf(question: string, chunk: { text: string; headingPath: string; vectorScore: number | null }, t: RelevanceThresholds = DEFAULT_RELEVANCE): number {
  const { shared, total } = sharedWords(question, `${chunk.headingPath}\n${chunk.text}`);
  // A long, chatty question rarely has 40% of its words in the passage that answers it; two of its
  // content words together in one passage are already specific enough to count as on topic.
  const coverage = total === 0 ? 0 : shared >= t.minSharedWords ? Math.max(shared / total, t.minCoverage) : shared / total;
  const cosine = chunk.vectorScore ?? 0;
  // Scale cosine so that minCosine maps onto minCoverage: one threshold then serves both.
  const scaledCosine = cosine >= t.minCosine ? t.minCoverage + (cosine - t.minCosine) * (1 - t.minCoverage) / (1 - t.minCosine) : (cosine / t.minCosine) * t.minCoverage * 0.99;
  return Math.max(coverage, Math.max(0, scaledCosine));
}
