/** The review-routing classifier: categories, features, training, the model file and its use. */
import { RISK_CATEGORIES, ROUTINE } from "./categories";
import type { Embedder } from "@/lib/embeddings/types";
import type { RiskClassifier } from "./model";

export { RISK_CATEGORIES, ROUTINE, CLASSIFIER_CLASSES, categoryName, type RiskCategoryId } from "./categories";
export { loadClassifier, packClassifier, type ClassifierFile, type RiskClassifier } from "./model";
export { trainClassifier, trainClassifierInTurns, type TrainingExample, type TrainOptions } from "./train";
export { loadLabelledQuestions, parseLabelledQuestions, type LabelledQuestion } from "./data";

/** The settings the shipped model is trained with, chosen by leave-one-writer-out runs over the training writers. */
export const TRAINING_DEFAULTS = { hashBits: 20, epochs: 20, learningRate: 0.5, l2: 1e-5, minDocs: 2, seed: 1 } as const;

/**
 * A question is high-stakes when the classifier gives "routine" less than this: chosen by
 * leave-one-writer-out runs over the training writers (recall 0.956, precision 0.858 there).
 */
export const DEFAULT_ROUTINE_BELOW = 0.65;

/** Sentence vectors for a batch of texts, from the embedder a classifier was trained with. */
export type SentenceVectors = (texts: string[]) => Promise<Float32Array[]>;

/**
 * The vectors `classifier` reads beside its n-grams, from `embedder` when it is the one the
 * classifier was trained with; undefined otherwise (the classifier then reads n-grams only).
 */
export function sentenceVectorsFor(classifier: Pick<RiskClassifier, "denseEmbedder">, embedder: Pick<Embedder, "id" | "embed" | "maxBatch">): SentenceVectors | undefined {
  if (!classifier.denseEmbedder || classifier.denseEmbedder !== embedder.id) return undefined;
  return async (texts) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += embedder.maxBatch) out.push(...(await embedder.embed(texts.slice(i, i + embedder.maxBatch), { kind: "query" })));
    return out;
  };
}

export interface RiskReading {
  /** The most likely category other than routine. */
  category: string;
  /** Its probability. */
  probability: number;
  /** 1 − P(routine): how likely the question is to be anything but routine. */
  risk: number;
}

/** The classifier's reading of `text`: its leading non-routine category and the overall risk. */
export function readRisk(classifier: RiskClassifier, text: string, vector?: Float32Array): RiskReading {
  const p = classifier.predict(text, vector);
  const routine = classifier.classes.indexOf(ROUTINE);
  let best = -1;
  for (let c = 0; c < p.length; c++) if (c !== routine && (best < 0 || p[c]! > p[best]!)) best = c;
  return { category: classifier.classes[best] ?? RISK_CATEGORIES[0].id, probability: p[best] ?? 0, risk: 1 - (p[routine] ?? 0) };
}
