/**
 * npm run routing:train — trains the review-routing classifier from the labelled
 * questions in models/routing/training and writes models/routing/risk-classifier.json.
 * The same data always gives the same file (seeded); record the printed sha256 and
 * size in the manifest entry "vouch-risk-classifier".
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CLASSIFIER_CLASSES, loadLabelledQuestions, packClassifier, TRAINING_DEFAULTS, trainClassifier } from "@/lib/review/classifier";
import { loadEnvOrExit } from "./_cli";

const env = loadEnvOrExit();
const dataDir = path.join(env.modelsDir, "routing", "training");
const outFile = path.join(env.modelsDir, "routing", "risk-classifier.json");

const started = performance.now();
const questions = loadLabelledQuestions(dataDir);
const writers = [...new Set(questions.map((q) => q.writer))].sort();
const trained = trainClassifier(
  questions.map((q) => ({ text: q.text, label: q.label })),
  { classes: CLASSIFIER_CLASSES, ...TRAINING_DEFAULTS, training: { examples: questions.length, writers, settings: TRAINING_DEFAULTS } },
);
const body = `${JSON.stringify(packClassifier(trained))}\n`;
fs.writeFileSync(outFile, body);
const sha256 = crypto.createHash("sha256").update(body).digest("hex");
console.log(`routing:train: ${questions.length} questions from ${writers.length} writers (${writers.join(", ")}), ${trained.rows.size} features kept`);
console.log(`wrote ${path.relative(process.cwd(), outFile)} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${body.length} bytes, sha256 ${sha256}`);
