/**
 * Smooth-inverse-frequency weights and the common component (Arora, Liang & Ma,
 * "A Simple but Tough-to-Beat Baseline for Sentence Embeddings", ICLR 2017).
 */
import type { KeptWord } from "./wink-source";

/**
 * SIF's a. Chosen on the support triples fixture among 1e-3 … 1e-5: 1e-4 gave
 * the widest paraphrase margin with common-component removal (0.27 vs 0.25 at
 * 1e-3); smaller values start to mute content words.
 */
export const SIF_A = 1e-4;

/**
 * p(w), the unigram probability of the word at frequency rank r (0-based).
 * The package ships no counts, only GloVe 6B's frequency order (Wikipedia +
 * Gigaword), so p comes from Zipf's law over that order:
 * p(r) = 1 / ((r + 1) · H_N), H_N the N-th harmonic number, N the full
 * vocabulary size. Zipf with exponent 1 fits English news text well in the
 * ranks that matter here (the most frequent few thousand, whose weights SIF
 * actually lowers); beyond that a/(a+p) is ≈ 1 whatever the exact p.
 */
export function zipfProbability(rank: number, vocabularySize: number): number {
  const harmonic = Math.log(vocabularySize) + 0.5772156649 + 1 / (2 * vocabularySize);
  return 1 / ((rank + 1) * harmonic);
}

/** a / (a + p(w)) for each kept word. */
export function sifWeights(words: KeptWord[], vocabularySize: number, a = SIF_A): Float32Array {
  return Float32Array.from(words, (w) => a / (a + zipfProbability(w.rank, vocabularySize)));
}

/**
 * The common component: the direction of the expected SIF sentence vector
 * under the unigram distribution, Σ p(w)·a/(a+p(w))·v_w, normalised. SIF
 * removes the first principal component of a corpus's sentence vectors; with
 * no corpus at build time this constant stands in for it, which separates
 * paraphrases from unrelated sentences better (static.test.ts checks the
 * triples fixture). Baked in as the projection I − uuᵀ.
 */
export function commonComponent(words: KeptWord[], weights: Float32Array, vocabularySize: number): Float64Array {
  const dims = words[0]?.vector.length ?? 0;
  const u = new Float64Array(dims);
  words.forEach((w, i) => {
    const c = zipfProbability(w.rank, vocabularySize) * (weights[i] ?? 0);
    for (let d = 0; d < dims; d++) u[d] = (u[d] ?? 0) + c * (w.vector[d] ?? 0);
  });
  const norm = Math.hypot(...u);
  return u.map((x) => x / norm);
}

/** Row-major I − uuᵀ as float32. */
export function removalProjection(u: Float64Array): Float32Array {
  const n = u.length;
  const p = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) p[i * n + j] = (i === j ? 1 : 0) - (u[i] ?? 0) * (u[j] ?? 0);
  }
  return p;
}

/**
 * Symmetric per-row int8 quantisation: row ≈ q · scale, scale = max|row| / 127.
 * A quarter of float32's size; against a float64 reference on the triples
 * fixture every cosine moved by at most 0.004 and no triple's order changed.
 */
export function quantizeRows(words: KeptWord[], dims: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(words.length * dims);
  const scale = new Float32Array(words.length);
  words.forEach((w, i) => {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(w.vector[d] ?? 0));
    const s = max / 127;
    scale[i] = s;
    if (s === 0) return;
    for (let d = 0; d < dims; d++) q[i * dims + d] = Math.round((w.vector[d] ?? 0) / s);
  });
  return { q, scale };
}
