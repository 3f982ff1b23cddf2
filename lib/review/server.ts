import "server-only";
/**
 * The web server's review-routing helpers: topic similarity built once on its
 * embedder (so example vectors are reused), and the risk classifier the model
 * gate allows, loaded once per file or stored version.
 */
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { getModelGate } from "@/lib/models/service";
import { processSingleton } from "@/lib/process-singleton";
import type { SimilarityFn } from "./assess";
import type { Embedder } from "@/lib/embeddings/types";
import { logger } from "@/lib/log";
import { sentenceVectorsFor, type RiskClassifier, type SentenceVectors } from "./classifier";
import { createClassifierLoader, type ClassifierLoader } from "./classifier-loader";
import { embeddingSimilarity } from "./similarity";

/** Similarity on the configured embedder; rejects when the embedder cannot be opened (callers fall back to keywords). */
export const getRoutingSimilarity: () => Promise<SimilarityFn> = processSingleton("routing-similarity", async () =>
  embeddingSimilarity((await getEngines()).embedder),
);

let warnedVectors = false;

/** The sentence vectors the classifier reads, from `embedder`; without them (another embedder) it reads n-grams only, which is said once. */
export function classifierVectors(classifier: RiskClassifier, embedder: Embedder): SentenceVectors | undefined {
  const vectors = sentenceVectorsFor(classifier, embedder);
  if (!vectors && classifier.denseEmbedder && !warnedVectors) {
    warnedVectors = true;
    logger().warn(`The risk classifier was trained with ${classifier.denseEmbedder} sentence vectors but the embedder is ${embedder.id}; it reads word n-grams only, which holds somewhat less well. Retrain it (Admin › Review policy) to fit this embedder.`);
  }
  return vectors;
}

/**
 * The classifier the routing policy names, as the model gate allows it now; rejects with
 * the gate's reason when it is refused (see classifier-loader).
 */
export const getRiskClassifier: ClassifierLoader = createClassifierLoader({ db: getDb, gate: getModelGate, manifestFile: () => getEnv().manifestFile });
