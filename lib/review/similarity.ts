/**
 * The topic-similarity function assessQuestion takes, built on an embedder.
 * Example questions are embedded once and kept; so is the latest question,
 * which is compared with every topic in turn.
 */
import { cosine } from "@/lib/embeddings/cosine";
import type { Embedder } from "@/lib/embeddings/types";
import type { SimilarityFn } from "./assess";


/** Max cosine similarity between a question and a topic's examples, via `embedder`. */
export function embeddingSimilarity(embedder: Pick<Embedder, "embed">, { cacheSize = 2_000 }: { cacheSize?: number } = {}): SimilarityFn {
  const cache = new Map<string, Promise<Float32Array>>();
  const vectorsOf = async (texts: string[]): Promise<Float32Array[]> => {
    const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
    if (missing.length > 0) {
      // Both sides are questions, so both are embedded as queries.
      const batch = embedder.embed(missing, { kind: "query" });
      missing.forEach((t, i) => {
        const p = batch.then((v) => v[i]!);
        p.catch(() => cache.delete(t));
        cache.set(t, p);
      });
    }
    const wanted = texts.map((t) => cache.get(t)!);
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return Promise.all(wanted);
  };
  return async (question, examples) => {
    if (examples.length === 0 || question.trim() === "") return 0;
    const [q, ...ex] = await vectorsOf([question, ...examples]);
    return Math.max(0, ...ex.map((e) => cosine(q!, e)));
  };
}
