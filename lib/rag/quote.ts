/**
 * Quoted answers: without a writing model, the 1–4 sentences of the retrieved
 * passages that best answer the question, verbatim, each with its [n]. Sentences
 * are scored as retrieval scores passages (the question's content words,
 * weighted by how rare they are among the candidates, and the embedder's
 * similarity), with the passage's own relevance as a prior; a chosen sentence
 * brings its neighbour along when that one continues it.
 */
import { cosine } from "@/lib/embeddings/cosine";
import type { Embedder } from "@/lib/embeddings/types";
import { matchWords } from "@/lib/retrieval/words";
import { passageSentences, type PassageSentence } from "./sentences";

export const QUOTED_LABEL = "Quoted from your knowledge base.";

/** Why an answer is quoted: the deployment's choice (`reason`, shown after the label), or a model that failed (`fallback`). */
export interface QuotedBy {
  reason?: string;
  fallback?: string;
}

export const quoteFallbackNotice = (why: string) => `No answer could be generated (${why}). The answer below is quoted from the passages instead.`;

export interface QuotableSource {
  n: number;
  text: string;
  headingPath: string;
  /** The passage's relevance to the question (0–1), as the turn judged it. */
  relevance: number;
}

interface Candidate extends PassageSentence {
  source: number;
  words: Set<string>;
  score: number;
}

export const QUOTE_SETTINGS = {
  maxSentences: 4,
  /** Further sentences must score at least this share of the best one. */
  keepRatio: 0.6,
  /** Items a sentence ending in ":" brings along, beyond maxSentences. */
  maxIntroducedItems: 3,
  weights: { words: 0.55, vector: 0.3, passage: 0.15 },
};

/** A sentence that announces the list or table after it. */
const INTRODUCES = /(:$|\bthe following\b|\bas follows\b)/i;
const CONTINUES = /^(it|this|that|these|those|they|then|otherwise|however|but|also|in that case|if so|after that|instead)\b/i;
/** Questions that ask for a quantity: sentences with a number answer them more often. */
const ASKS_QUANTITY = /\b(how (long|many|much|soon|often|fast|big|large)|when|what time|limit|maximum|minimum|max|min|price|cost|fee|days?|hours?|weeks?)\b/i;

type QuoteEmbedder = Pick<Embedder, "embed" | "maxBatch">;

export interface Quote {
  text: string;
  cited: number[];
}

/** The quote for `question` from `sources`, or undefined when no sentence in them says anything. */
export async function quoteAnswer(question: string, sources: readonly QuotableSource[], embedder?: QuoteEmbedder): Promise<Quote | undefined> {
  const candidates = sources.flatMap((s) => passageSentences(s.text).map((p) => ({ ...p, source: s.n, words: new Set(matchWords(p.text)), score: 0 })));
  if (candidates.length === 0) return undefined;
  await scoreCandidates(question, candidates, sources, embedder);
  return render(choose(candidates));
}

async function scoreCandidates(question: string, candidates: Candidate[], sources: readonly QuotableSource[], embedder?: QuoteEmbedder) {
  const asked = [...new Set(matchWords(question))];
  const idf = new Map(asked.map((w) => [w, Math.log(1 + candidates.length / (1 + candidates.filter((c) => c.words.has(w)).length))]));
  const total = asked.reduce((sum, w) => sum + idf.get(w)!, 0) || 1;
  const headings = new Map(sources.map((s) => [s.n, new Set(matchWords(s.headingPath))]));
  const relevance = new Map(sources.map((s) => [s.n, s.relevance]));
  const cosines = embedder ? await similarities(question, candidates, embedder) : undefined;
  const quantity = ASKS_QUANTITY.test(question);
  const { weights } = QUOTE_SETTINGS;
  candidates.forEach((c, i) => {
    // A word only in the passage's heading still tells what the sentence is about, at half weight.
    const matched = asked.reduce((sum, w) => sum + (c.words.has(w) ? idf.get(w)! : headings.get(c.source)!.has(w) ? idf.get(w)! / 2 : 0), 0);
    const vector = Math.max(0, cosines?.[i] ?? 0);
    let score = weights.words * (matched / total) + weights.vector * vector + weights.passage * (relevance.get(c.source) ?? 0);
    if (quantity && /\d/.test(c.text)) score += 0.1;
    if (c.text.split(/\s+/).length > 60) score *= 0.8;
    c.score = score;
  });
}

async function similarities(question: string, candidates: Candidate[], embedder: QuoteEmbedder): Promise<number[]> {
  const [q] = await embedder.embed([question], { kind: "query" });
  const vectors: Float32Array[] = [];
  for (let i = 0; i < candidates.length; i += embedder.maxBatch) {
    vectors.push(...(await embedder.embed(candidates.slice(i, i + embedder.maxBatch).map((c) => c.text), { kind: "passage" })));
  }
  return vectors.map((v) => cosine(q!, v));
}


/** The best sentences, then the neighbours that continue them, in reading order. */
function choose(candidates: Candidate[]): Candidate[] {
  const ranked = [...candidates].sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  const chosen = new Set<Candidate>([best]);
  for (const c of ranked.slice(1)) {
    if (chosen.size >= QUOTE_SETTINGS.maxSentences || c.score < best.score * QUOTE_SETTINGS.keepRatio) break;
    if (![...chosen].some((k) => k.text === c.text)) chosen.add(c);
  }
  for (const c of [...chosen]) for (const n of followers(candidates, c)) chosen.add(n);
  const sourceOrder = new Map<number, number>();
  ranked.forEach((c) => sourceOrder.has(c.source) || sourceOrder.set(c.source, sourceOrder.size));
  return [...chosen].sort((a, b) => sourceOrder.get(a.source)! - sourceOrder.get(b.source)! || a.index - b.index);
}

/**
 * What a chosen sentence brings along: the items of the list or table it
 * introduces ("The gateway needs the following outbound access:"), or the next
 * sentence when that one continues it ("Otherwise …").
 */
function followers(candidates: readonly Candidate[], c: Candidate): Candidate[] {
  const after = candidates.filter((n) => n.source === c.source && n.index > c.index);
  // The list may come a sentence later ("… needs the following access. No inbound ports are needed.").
  const list = after.slice(0, 2).find((n) => n.item);
  if (list && INTRODUCES.test(c.text)) {
    return after.filter((n) => n.item && n.block === list.block).slice(0, QUOTE_SETTINGS.maxIntroducedItems);
  }
  const next = after[0];
  return next && next.block === c.block && CONTINUES.test(next.text) ? [next] : [];
}

/** Each sentence with its citation before the final stop ("… 14 days [1]."); list items and rows as bullets. */
function render(chosen: Candidate[]): Quote {
  const cite = (c: Candidate) => {
    const m = /^(.*?)([.!?:;]*)$/s.exec(c.text)!;
    return `${m[1]} [${c.source}]${m[2] === ":" || m[2] === ";" ? "." : m[2] || "."}`;
  };
  // Consecutive items form one list, consecutive sentences one paragraph; a blank line parts them.
  const blocks: { item: boolean; parts: string[] }[] = [];
  for (const c of chosen) {
    const last = blocks.at(-1);
    if (last && last.item === c.item) last.parts.push(c.item ? `- ${cite(c)}` : cite(c));
    else blocks.push({ item: c.item, parts: [c.item ? `- ${cite(c)}` : cite(c)] });
  }
  const text = blocks.map((b) => b.parts.join(b.item ? "\n" : " ")).join("\n\n");
  return { text, cited: [...new Set(chosen.map((c) => c.source))] };
}
