/**
 * npm run bench:routing — what the risk classifier adds to a turn: the question's
 * assessment (no passages, default policy) with and without the classifier, over
 * the labelled training questions, interleaved so load hits both alike. The
 * classifier's share includes embedding the question for its sentence vector.
 * Target: at most 10 ms added at p95.
 */
import fs from "node:fs";
import path from "node:path";
import { assessQuestion } from "@/lib/review/assess";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { loadClassifier, loadLabelledQuestions, sentenceVectorsFor } from "@/lib/review/classifier";
import { loadEnvOrExit } from "@/scripts/_cli";
import { DEFAULT_ROUTING_POLICY } from "@/lib/review/default-policy";
import { percentile } from "@/lib/eval/retrieval-score";

const root = path.resolve(import.meta.dirname, "../..");
const started = performance.now();
const classifier = loadClassifier(JSON.parse(fs.readFileSync(path.join(root, "models/routing/risk-classifier.json"), "utf8")));
const loadMs = performance.now() - started;
const questions = loadLabelledQuestions(path.join(root, "models/routing/training")).map((q) => q.text);
const env = loadEnvOrExit();
if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir);
const vectors = sentenceVectorsFor(classifier, await createEmbedder(embedderConfigFromEnv(env)));

const timed = async (question: string, withClassifier: boolean) => {
  const t = performance.now();
  await assessQuestion({ question, chunks: [], policy: DEFAULT_ROUTING_POLICY, ...(withClassifier ? { classifier, vectors } : {}) });
  return performance.now() - t;
};
for (const q of questions.slice(0, 200)) await timed(q, true); // warm-up
const base: number[] = [];
const added: number[] = [];
for (const q of questions) {
  const without = await timed(q, false);
  base.push(without);
  added.push((await timed(q, true)) - without);
}
const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log(`bench:routing: ${questions.length} questions, classifier loaded in ${ms(loadMs)}`);
console.log(`  assessment without the classifier  p50 ${ms(percentile(base, 50))}  p95 ${ms(percentile(base, 95))}`);
console.log(`  added by the classifier            p50 ${ms(percentile(added, 50))}  p95 ${ms(percentile(added, 95))}  (target ≤ 10 ms at p95: ${percentile(added, 95) <= 10 ? "met" : "NOT met"})`);
