/**
 * Corpus adaptation for the static embedder: per-token weights from the
 * documents actually ingested, replacing the general-English SIF weights.
 *
 * Why: SIF's p(w) comes from news and Wikipedia, where "password" or "invoice"
 * are rare (weight ≈ 1) but in a support knowledge base they are on every
 * page and say little, while a product name the corpus rarely uses says a lot.
 * IDF over the company's own chunks captures that. Whether it helps is for the
 * retrieval evaluation to decide: run it with the plain embedder and with
 * `await embedder.withTokenWeights(corpusTokenWeights(...))` and compare.
 * (tools/eval/embeddings/adaptation.ts compares them). "sif-idf" keeps
 * frequent English words muted; neither comes near BM25, which is why the
 * static model stays the minor partner in fusion.
 */
import { createHash } from "node:crypto";
import type { TokenWeights } from "./static";

/** "idf": IDF alone. "sif-idf": SIF weight × IDF (frequent English words stay muted). */
export type CorpusWeighting = "idf" | "sif-idf";

export interface CorpusWeightOptions {
  mode: CorpusWeighting;
  /** The model's own SIF table (`embedder.defaultTokenWeights()`); required for "sif-idf". */
  sif?: Float32Array;
}

/**
 * Smoothed IDF, ln((N + 1) / (df + 1)) + 1, from token-id documents (one per
 * chunk, as `embedder.encode(text)` returns). Tokens the corpus never uses get
 * the largest value: in a query they are the rare, specific words.
 */
export function corpusTokenWeights(
  documents: Iterable<readonly number[]>,
  vocabularySize: number,
  options: CorpusWeightOptions,
): TokenWeights {
  const df = new Uint32Array(vocabularySize);
  const seen = new Uint32Array(vocabularySize); // last document index + 1 that counted each token
  let n = 0;
  for (const doc of documents) {
    n++;
    for (const id of doc) {
      if (id > 0 && id < vocabularySize && seen[id] !== n) {
        seen[id] = n;
        df[id] = (df[id] ?? 0) + 1;
      }
    }
  }
  if (options.mode === "sif-idf" && options.sif?.length !== vocabularySize) {
    throw new Error(`corpusTokenWeights: "sif-idf" needs the model's ${vocabularySize}-entry SIF table`);
  }
  const weights = new Float32Array(vocabularySize);
  for (let id = 1; id < vocabularySize; id++) {
    const idf = Math.log((n + 1) / ((df[id] ?? 0) + 1)) + 1;
    weights[id] = options.mode === "sif-idf" ? idf * (options.sif?.[id] ?? 0) : idf;
  }
  const digest = createHash("sha256").update(new Uint8Array(weights.buffer)).digest("hex").slice(0, 12);
  return { id: `${options.mode}-${digest}`, weights };
}
