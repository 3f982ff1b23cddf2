/** Weighted reciprocal-rank fusion of the dense and BM25 result lists. */
import type { EmbedderKind } from "@/lib/embeddings/types";
import type { ChunkHit } from "@/lib/vectorstore/types";

/** How much each list counts in the fusion. */
export interface FusionWeights {
  vector: number;
  text: number;
}

/** The usual RRF constant: damps the gap between rank 1 and rank 2. */
export const DEFAULT_RRF_K = 60;

/**
 * Defaults by embedder kind. The static word-vector embedder is a weak ranker
 * on its own, so BM25 leads and dense search only reorders BM25's near-ties
 * and fills in when BM25 finds little: more dense weight helps a large manual
 * but costs a small knowledge base its ranking, and 0.1 is the weight that
 * never fell below BM25 alone on either (`npm run eval:retrieval -- --variants`
 * compares them). A transformer encoder ranks about as well as BM25.
 */
export function defaultWeights(kind: EmbedderKind): FusionWeights {
  return kind === "static" ? { vector: 0.1, text: 0.9 } : { vector: 0.5, text: 0.5 };
}

/** A chunk with its place in each list and its fused score. */
export interface FusedChunk extends Omit<ChunkHit, "score" | "rank"> {
  /** Cosine similarity in the dense list, or null when only BM25 found it. */
  vectorScore: number | null;
  /** BM25 score, or null when only dense search found it. */
  textScore: number | null;
  vectorRank: number | null;
  textRank: number | null;
  /** Σ weight / (rrfK + rank) over the lists that found the chunk. */
  rrfScore: number;
  /**
   * rrfScore divided by the best possible (rank 1 in both lists), so it lies
   * in [0, 1] whatever the weights: 1 means first in both lists.
   */
  fusedScore: number;
}

export function fuseRankings(
  lists: { vector: readonly ChunkHit[]; text: readonly ChunkHit[] },
  weights: FusionWeights,
  rrfK: number = DEFAULT_RRF_K,
): FusedChunk[] {
  if (weights.vector < 0 || weights.text < 0 || weights.vector + weights.text <= 0) {
    throw new Error(`fusion weights must be non-negative and not both zero (got ${JSON.stringify(weights)})`);
  }
  const best = (weights.vector + weights.text) / (rrfK + 1);
  const byId = new Map<string, FusedChunk>();
  const visit = (hits: readonly ChunkHit[], which: "vector" | "text") => {
    const weight = weights[which];
    hits.forEach((hit, i) => {
      const rank = i + 1; // list position, so callers' rank fields cannot skew fusion
      const { score, rank: _rank, ...chunk } = hit;
      const entry =
        byId.get(hit.id) ??
        ({ ...chunk, vectorScore: null, textScore: null, vectorRank: null, textRank: null, rrfScore: 0, fusedScore: 0 } as FusedChunk);
      if (entry[`${which}Rank`] !== null) return; // a list repeating an id counts once
      entry[`${which}Rank`] = rank;
      entry[`${which}Score`] = score;
      entry.rrfScore += weight / (rrfK + rank);
      byId.set(hit.id, entry);
    });
  };
  visit(lists.vector, "vector");
  visit(lists.text, "text");
  const fused = [...byId.values()];
  for (const f of fused) f.fusedScore = f.rrfScore / best;
  return fused.sort(
    (a, b) =>
      b.rrfScore - a.rrfScore ||
      bestRank(a) - bestRank(b) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function bestRank(f: FusedChunk): number {
  return Math.min(f.vectorRank ?? Infinity, f.textRank ?? Infinity);
}
