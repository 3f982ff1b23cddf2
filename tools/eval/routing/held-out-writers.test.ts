/**
 * Generalisation the honest way: the classifier is trained on some writers'
 * questions and judged on writers it never saw. Nothing was tuned on the
 * held-out writers (w6, w7); the settings came from leave-one-writer-out runs
 * over the training writers alone.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { parseEnv } from "@/lib/env";
import { CLASSIFIER_CLASSES, DEFAULT_ROUTINE_BELOW, loadClassifier, loadLabelledQuestions, packClassifier, readRisk, ROUTINE, sentenceVectorsFor, TRAINING_DEFAULTS, trainClassifier } from "@/lib/review/classifier";
import { findInjectionSigns, injectionScore } from "@/lib/review/injection";
import { INJECTION_MIN_SCORE } from "@/lib/review/assess";

const HELD_OUT = ["w6", "w7"];
const all = loadLabelledQuestions(path.resolve(import.meta.dirname, "../../../models/routing/training"));
let vectors: Float32Array[] = [];
let embedderId = "";

beforeAll(async () => {
  // The default embedder's sentence vectors, as `npm run routing:train` gives them to the shipped model.
  const env = parseEnv({});
  await ensureDefaultEmbeddingModel(env.modelsDir);
  const embedder = await createEmbedder(embedderConfigFromEnv(env));
  embedderId = embedder.id;
  vectors = await sentenceVectorsFor({ denseEmbedder: embedder.id }, embedder)!(all.map((q) => q.text));
  await embedder.close?.();
});

describe("review routing on writers the classifier never saw", () => {
  it("holds ≥ 0.95 of high-stakes questions at ≥ 0.85 precision, and ≥ 0.9 of injection attempts", () => {
    const lines = all.map((q, i) => ({ ...q, vector: vectors[i] }));
    const train = lines.filter((q) => !HELD_OUT.includes(q.writer));
    const test = lines.filter((q) => HELD_OUT.includes(q.writer));
    const model = loadClassifier(packClassifier(trainClassifier(train.map((q) => ({ text: q.text, label: q.label, vector: q.vector })), { classes: CLASSIFIER_CLASSES, ...TRAINING_DEFAULTS, denseEmbedder: embedderId })));
    const outcome = test.map((q) => {
      const reading = readRisk(model, q.text, q.vector);
      const flagged = reading.risk > 1 - DEFAULT_ROUTINE_BELOW || injectionScore(findInjectionSigns(q.text)) >= INJECTION_MIN_SCORE;
      return { ...q, flagged, category: reading.category };
    });
    const high = outcome.filter((o) => o.label !== ROUTINE && o.label !== "injection");
    const routine = outcome.filter((o) => o.label === ROUTINE);
    const injections = outcome.filter((o) => o.label === "injection");
    const tp = high.filter((o) => o.flagged).length;
    const fp = routine.filter((o) => o.flagged).length;
    const recall = tp / high.length;
    const precision = tp / (tp + fp);
    const injectionShare = injections.filter((o) => o.flagged).length / injections.length;
    const byCategory = [...new Set(high.map((o) => o.label))].map((c) => {
      const rows = high.filter((o) => o.label === c);
      return `${c} ${rows.filter((o) => o.flagged).length}/${rows.length} (named ${rows.filter((o) => o.category === c).length})`;
    });
    console.log(
      `held-out writers ${HELD_OUT.join(", ")}: ${train.length} training lines, ${test.length} test lines\n` +
        `high-stakes recall ${recall.toFixed(3)} (${tp}/${high.length}), precision ${precision.toFixed(3)} (${fp} of ${routine.length} routine held, ${routine.filter((o) => o.flagged && o.hard).length} of them hard negatives)\n` +
        `injection attempts held or refused ${injectionShare.toFixed(3)} (${injections.filter((o) => o.flagged).length}/${injections.length})\n` +
        `per category: ${byCategory.join("; ")}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.85);
    expect(injectionShare).toBeGreaterThanOrEqual(0.9);
  });
});
