import "server-only";
/**
 * The web server's review-routing helpers: topic similarity built once on its
 * embedder (so example vectors are reused), and the risk classifier the model
 * gate allows, loaded once per file.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { getModelGate } from "@/lib/models/service";
import { processSingleton } from "@/lib/process-singleton";
import type { SimilarityFn } from "./assess";
import { loadClassifier, type RiskClassifier } from "./classifier";
import { embeddingSimilarity } from "./similarity";

/** Similarity on the configured embedder; rejects when the embedder cannot be opened (callers fall back to keywords). */
export const getRoutingSimilarity: () => Promise<SimilarityFn> = processSingleton("routing-similarity", async () =>
  embeddingSimilarity((await getEngines()).embedder),
);

const loaded = new Map<string, Promise<RiskClassifier>>();

/**
 * The enabled classifier the model policy allows, asked of the gate at every call (a policy
 * change takes effect at once); rejects with the gate's reason when it is refused.
 */
export async function getRiskClassifier(): Promise<RiskClassifier> {
  const [entry] = (await getModelGate()).assertRoleAllowed("classifier");
  const file = entry?.files[0];
  if (!file) throw new Error("The classifier's manifest entry lists no file.");
  const absolute = path.resolve(path.dirname(getEnv().manifestFile), file.path);
  const key = `${absolute}#${file.sha256}`;
  if (!loaded.has(key)) {
    const loading = fs.readFile(absolute, "utf8").then((text) => loadClassifier(JSON.parse(text)));
    loaded.set(key, loading);
    loading.catch(() => loaded.delete(key));
  }
  return loaded.get(key)!;
}
