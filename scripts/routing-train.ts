/**
 * npm run routing:train — trains the review-routing classifier from the labelled
 * questions in models/routing/training and writes models/routing/risk-classifier.json.
 * The same data always gives the same file (seeded); record the printed sha256 and
 * size in the manifest entry "vouch-risk-classifier".
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { CLASSIFIER_CLASSES, loadLabelledQuestions, packClassifier, sentenceVectorsFor, TRAINING_DEFAULTS, trainClassifier } from "@/lib/review/classifier";
import { cliLog, loadEnvOrExit } from "./_cli";

const env = loadEnvOrExit();
const dataDir = path.join(env.modelsDir, "routing", "training");
const outFile = path.join(env.modelsDir, "routing", "risk-classifier.json");

const started = performance.now();
const questions = loadLabelledQuestions(dataDir);
const writers = [...new Set(questions.map((q) => q.writer))].sort();
// The classifier reads the configured embedder's sentence vectors beside the n-grams.
if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, cliLog.info);
const embedder = await createEmbedder(embedderConfigFromEnv(env));
const vectors = await sentenceVectorsFor({ denseEmbedder: embedder.id }, embedder)!(questions.map((q) => q.text));
await embedder.close?.();
const trained = trainClassifier(
  questions.map((q, i) => ({ text: q.text, label: q.label, vector: vectors[i] })),
  { classes: CLASSIFIER_CLASSES, ...TRAINING_DEFAULTS, denseEmbedder: embedder.id, training: { examples: questions.length, writers, settings: TRAINING_DEFAULTS } },
);
const body = `${JSON.stringify(packClassifier(trained))}\n`;
fs.writeFileSync(outFile, body);
const sha256 = crypto.createHash("sha256").update(body).digest("hex");
console.log(`routing:train: ${questions.length} questions from ${writers.length} writers (${writers.join(", ")}), ${trained.rows.size} features kept`);
console.log(`wrote ${path.relative(process.cwd(), outFile)} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${body.length} bytes, sha256 ${sha256}`);
