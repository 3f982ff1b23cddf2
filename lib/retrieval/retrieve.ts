/**
 * Hybrid retrieval for one turn: embed the query, run dense and BM25 search
 * within the caller's knowledge bases, fuse, drop duplicates, fit the budget.
 */
import type { Embedder } from "@/lib/embeddings/types";
import type { VectorStore } from "@/lib/vectorstore/types";
import { DEFAULT_RRF_K, defaultWeights, fuseRankings, type FusedChunk, type FusionWeights } from "./fusion";
import { fitTokenBudget, keepLatestVersions, withoutNearDuplicates } from "./select";

export const DEFAULT_K = 6;
export const DEFAULT_TOKEN_BUDGET = 1_600;

export interface RetrieveParams {
  /** The standalone query (see rewriteQuery for follow-ups). */
  query: string;
  /** Knowledge bases the user may read; an empty list retrieves nothing. */
  kbIds: readonly string[];
  embedder: Pick<Embedder, "embed" | "kind" | "countTokens">;
  store: Pick<VectorStore, "searchVector" | "searchText">;
  /** Chunks to return at most (default 6). */
  k?: number;
  /** Minimum fusedScore in [0, 1] (default 0: keep everything that ranks). */
  minScore?: number;
  /** Dense hits below this cosine similarity are ignored before fusion. */
  minVectorSimilarity?: number;
  /** Token budget for the returned chunks' text (default 1,600). */
  tokenBudget?: number;
  /** Overrides the defaults for the embedder's kind (see defaultWeights). */
  weights?: Partial<FusionWeights>;
  /** Hits fetched from each search before fusion (default max(30, 5k)). */
  candidates?: number;
  rrfK?: number;
  /** Word-shingle Jaccard at or above which a lower-ranked chunk is a duplicate (default 0.8). */
  duplicateThreshold?: number;
  /** Counts tokens for the budget; defaults to the embedder's tokenizer. */
  countTokens?: (text: string) => number;
}

/** A chunk chosen for the prompt, with every score that led to it. */
export interface RetrievedChunk extends FusedChunk {
  tokens: number;
}

export interface RetrieveTimings {
  embedMs: number;
  vectorMs: number;
  textMs: number;
  /** Fusion, deduplication and budget. */
  fuseMs: number;
  totalMs: number;
}

export interface RetrieveResult {
  chunks: RetrievedChunk[];
  timings: RetrieveTimings;
  weights: FusionWeights;
  /** How many hits each search returned, and what was dropped where (duplicates: those met while filling k). */
  counts: { vector: number; text: number; fused: number; duplicates: number; belowMinScore: number; overBudget: number };
}

export async function retrieve(params: RetrieveParams): Promise<RetrieveResult> {
  const started = performance.now();
  const k = params.k ?? DEFAULT_K;
  const weights = { ...defaultWeights(params.embedder.kind), ...params.weights };
  const candidates = params.candidates ?? Math.max(30, k * 5);
  const search = { kbIds: params.kbIds, limit: candidates };
  const timings: RetrieveTimings = { embedMs: 0, vectorMs: 0, textMs: 0, fuseMs: 0, totalMs: 0 };
  const empty = { vector: 0, text: 0, fused: 0, duplicates: 0, belowMinScore: 0, overBudget: 0 };
  if (params.kbIds.length === 0 || params.query.trim() === "" || k <= 0) {
    return { chunks: [], timings, weights, counts: empty };
  }

  // BM25 needs no embedding, so it starts while the query is being embedded.
  const textSearch = (async () => {
    const t = performance.now();
    const hits = weights.text > 0 ? await params.store.searchText(params.query, search) : [];
    timings.textMs = performance.now() - t;
    return hits;
  })();
  const vectorSearch = (async () => {
    if (weights.vector <= 0) return [];
    let t = performance.now();
    const [vector] = await params.embedder.embed([params.query], { kind: "query" });
    timings.embedMs = performance.now() - t;
    if (!vector) throw new Error("embedder returned no vector for the query");
    t = performance.now();
    const hits = await params.store.searchVector(vector, search);
    timings.vectorMs = performance.now() - t;
    const floor = params.minVectorSimilarity;
    return floor === undefined ? hits : hits.filter((h) => h.score >= floor);
  })();
  const [vectorHits, textHits] = await Promise.all([vectorSearch, textSearch]);

  const t = performance.now();
  const fused = keepLatestVersions(fuseRankings({ vector: vectorHits, text: textHits }, weights, params.rrfK ?? DEFAULT_RRF_K));
  const minScore = params.minScore ?? 0;
  const scored = fused.filter((c) => c.fusedScore >= minScore);
  let duplicates = 0;
  // Lazy: duplicates are only looked for among the chunks needed to fill k.
  const unique = withoutNearDuplicates(scored, params.duplicateThreshold ?? 0.8, () => duplicates++);
  const { kept, skipped } = fitTokenBudget(unique, {
    k,
    budget: params.tokenBudget ?? DEFAULT_TOKEN_BUDGET,
    countTokens: params.countTokens ?? ((text) => params.embedder.countTokens(text)),
  });
  timings.fuseMs = performance.now() - t;
  timings.totalMs = performance.now() - started;
  return {
    chunks: kept,
    timings,
    weights,
    counts: {
      vector: vectorHits.length,
      text: textHits.length,
      fused: fused.length,
      duplicates,
      belowMinScore: fused.length - scored.length,
      overBudget: skipped,
    },
  };
}
