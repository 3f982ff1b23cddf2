import "server-only";
/** The web server's topic-similarity function, built once on its embedder so example vectors are reused. */
import { getEngines } from "@/lib/engines/server";
import { processSingleton } from "@/lib/process-singleton";
import type { SimilarityFn } from "./assess";
import { embeddingSimilarity } from "./similarity";

/** Similarity on the configured embedder; rejects when the embedder cannot be opened (callers fall back to keywords). */
export const getRoutingSimilarity: () => Promise<SimilarityFn> = processSingleton("routing-similarity", async () =>
  embeddingSimilarity((await getEngines()).embedder),
);
