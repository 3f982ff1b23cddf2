/**
 * A question as the risk classifier sees it: hashed word unigrams and bigrams
 * of its folded text (look-alike letters, spacing and full-width forms undone
 * first), each weighted 1 + log(count), the whole vector scaled to unit length.
 * Character n-grams were dropped: leave-one-writer-out over the training
 * writers held more routine questions with them at every recall (they learn
 * spelling fragments of a topic, "refu", "dele", rather than what is asked);
 * typos and word forms are carried by the sentence vector beside these features.
 */
import { foldLookAlikes, foldUnicode, joinSpacedLetters } from "../normalise";

/** A sparse vector: feature ids (ascending) and their values. */
export interface SparseVector {
  ids: Uint32Array;
  values: Float32Array;
}

export const DEFAULT_HASH_BITS = 20;

/** 32-bit FNV-1a over UTF-16 code units: fast, and stable across machines. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The words of `text` after folding, lower case. */
export function wordsOf(text: string): string[] {
  const folded = joinSpacedLetters(foldLookAlikes(foldUnicode(text))).toLowerCase();
  return folded.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** Feature names before hashing, for tests and for reading a model. */
export function featureNames(text: string): string[] {
  const words = wordsOf(text);
  const names: string[] = [];
  for (let i = 0; i < words.length; i++) {
    names.push(`w ${words[i]}`);
    if (i > 0) names.push(`b ${words[i - 1]} ${words[i]}`);
  }
  return names;
}

/** The unit-length hashed feature vector of `text`. */
export function featuresOf(text: string, hashBits = DEFAULT_HASH_BITS): SparseVector {
  const mask = (1 << hashBits) - 1;
  const counts = new Map<number, number>();
  for (const name of featureNames(text)) {
    const id = fnv1a(name) & mask;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = Float32Array.from(ids, (id) => 1 + Math.log(counts.get(id)!));
  const norm = Math.hypot(...values) || 1;
  for (let i = 0; i < values.length; i++) values[i]! /= norm;
  return { ids, values };
}
