/**
 * A deterministic bag-of-words embedder for tests and benchmarks: each word
 * maps to a fixed pseudo-random unit vector (seeded by its hash) and a text is
 * the normalised sum. Texts sharing words land close together, which is all
 * retrieval tests need, with no model files.
 */
import type { EmbedOptions, Embedder, EmbedderKind } from "@/lib/embeddings/types";
import { seededRandom } from "@/lib/random";
import { words } from "../../lib/retrieval/words";

export interface HashingEmbedderOptions {
  dimensions?: number;
  kind?: EmbedderKind;
  id?: string;
}

/** FNV-1a, 32-bit. */
function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 100;
  const cache = new Map<string, Float32Array>();
  const wordVector = (word: string): Float32Array => {
    let v = cache.get(word);
    if (!v) {
      const next = seededRandom(hash(word));
      v = new Float32Array(dimensions);
      for (let i = 0; i < dimensions; i++) v[i] = next() * 2 - 1;
      if (cache.size < 200_000) cache.set(word, v);
    }
    return v;
  };
  const embedOne = (text: string): Float32Array => {
    const out = new Float32Array(dimensions);
    for (const word of words(text)) {
      const v = wordVector(word);
      for (let i = 0; i < dimensions; i++) out[i]! += v[i]!;
    }
    let norm = 0;
    for (let i = 0; i < dimensions; i++) norm += out[i]! * out[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) {
      out[0] = 1; // an empty text still needs a valid unit vector
      return out;
    }
    for (let i = 0; i < dimensions; i++) out[i]! /= norm;
    return out;
  };
  return {
    id: options.id ?? `hashing-${dimensions}d`,
    kind: options.kind ?? "static",
    dimensions,
    maxBatch: 256,
    maxTokens: 512,
    countTokens: (text: string) => words(text).length,
    embed: async (texts: string[], _options: EmbedOptions) => texts.map(embedOne),
  };
}
