import "server-only";
/** The web server's topic-similarity function, built once on its embedder so example vectors are reused. */
import { getEngines } from "@/lib/engines/server";
import type { SimilarityFn } from "./assess";
import { embeddingSimilarity } from "./similarity";

const g = globalThis as unknown as { vouchRoutingSimilarity?: Promise<SimilarityFn> };

/** Similarity on the configured embedder; rejects when the embedder cannot be opened (callers fall back to keywords). */
export function getRoutingSimilarity(): Promise<SimilarityFn> {
  g.vouchRoutingSimilarity ??= getEngines()
    .then((engines) => embeddingSimilarity(engines.embedder))
    .catch((error) => {
      g.vouchRoutingSimilarity = undefined;
      throw error;
    });
  return g.vouchRoutingSimilarity;
}
