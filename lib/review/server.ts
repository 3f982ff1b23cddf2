import "server-only";
/**
 * The web server's review-routing helpers: topic similarity built once on its
 * embedder (so example vectors are reused), and the risk classifier the model
 * gate allows, loaded once per file or stored version.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { getRoutingClassifierBody } from "@/db/queries/routing-classifiers";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { getModelGate } from "@/lib/models/service";
import { processSingleton } from "@/lib/process-singleton";
import type { SimilarityFn } from "./assess";
import type { Embedder } from "@/lib/embeddings/types";
import { logger } from "@/lib/log";
import { loadClassifier, sentenceVectorsFor, type RiskClassifier, type SentenceVectors } from "./classifier";
import type { ClassifierSettings } from "./policy";
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

const loaded = new Map<string, Promise<RiskClassifier>>();

function loadOnce(key: string, read: () => Promise<string>): Promise<RiskClassifier> {
  if (!loaded.has(key)) {
    const loading = read().then((text) => loadClassifier(JSON.parse(text)));
    loaded.set(key, loading);
    loading.catch(() => loaded.delete(key));
  }
  return loaded.get(key)!;
}

/**
 * The classifier the routing policy names: a retrained one (`model`, stored in Postgres by
 * its sha256), or else the manifest's. Either way the model gate must allow the classifier
 * role, asked at every call (a policy change takes effect at once); rejects with the gate's
 * reason when it is refused.
 */
export async function getRiskClassifier(model?: ClassifierSettings["model"]): Promise<RiskClassifier> {
  const [entry] = (await getModelGate()).assertRoleAllowed("classifier");
  if (model) {
    const db = await getDb();
    return loadOnce(`db#${model.sha256}`, async () => {
      const body = await getRoutingClassifierBody(db, model.sha256);
      // Checked, not trusted: the policy names bytes, and a changed row must not pass as them.
      if (body === undefined || crypto.createHash("sha256").update(body).digest("hex") !== model.sha256) {
        throw new Error(`The retrained classifier ${model.sha256.slice(0, 12)}… named by the review policy is missing or changed in the database.`);
      }
      return body;
    });
  }
  const file = entry?.files[0];
  if (!file) throw new Error("The classifier's manifest entry lists no file.");
  const absolute = path.resolve(path.dirname(getEnv().manifestFile), file.path);
  return loadOnce(`${absolute}#${file.sha256}`, () => fs.readFile(absolute, "utf8"));
}
