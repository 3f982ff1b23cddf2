/**
 * The risk classifier: multinomial logistic regression over a question's
 * hashed n-gram features (features.ts), optionally with a sentence vector from
 * the static embedder beside them. Only the features seen in training are
 * kept, their weights stored as int8 with one scale per class, so the file
 * stays small enough to review and commit.
 */
import { z } from "zod";
import { featuresOf, type SparseVector } from "./features";

export const CLASSIFIER_FORMAT = "vouch-risk-classifier";

const fileSchema = z.strictObject({
  format: z.literal(CLASSIFIER_FORMAT),
  version: z.literal(1),
  classes: z.array(z.string().min(1)).min(2),
  hashBits: z.number().int().min(8).max(24),
  /** Feature ids kept, ascending, base64 of little-endian uint32. */
  featureIds: z.string(),
  /** int8 weights, feature-major (one row of `classes.length` per feature id), base64. */
  weights: z.string(),
  /** Per class: weight = int8 × scale. */
  scales: z.array(z.number()),
  bias: z.array(z.number()),
  /** Weights of the sentence vector, dimension-major, when the model was trained with one. */
  dense: z.strictObject({ embedder: z.string().min(1), dimensions: z.number().int().min(1), weights: z.array(z.number()) }).optional(),
  training: z.record(z.string(), z.unknown()),
});

export type ClassifierFile = z.infer<typeof fileSchema>;

/** A loaded classifier, ready to score questions. */
export interface RiskClassifier {
  readonly classes: readonly string[];
  /** The embedder whose vectors the model reads beside the n-grams, if any. */
  readonly denseEmbedder?: string;
  readonly training: Record<string, unknown>;
  /** Probability of each class (same order as `classes`), summing to 1. */
  predict(text: string, vector?: Float32Array): Float64Array;
}

/** Float weights as training leaves them: rows per hashed feature id, plus bias and dense weights. */
export interface TrainedWeights {
  classes: readonly string[];
  hashBits: number;
  rows: Map<number, Float64Array>;
  bias: Float64Array;
  dense?: { embedder: string; dimensions: number; weights: Float64Array };
  training: Record<string, unknown>;
}

export function softmaxInPlace(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += logits[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < logits.length; i++) logits[i]! /= sum;
  return logits;
}

/** Quantise and pack trained weights into the committed file's shape. */
export function packClassifier(trained: TrainedWeights): ClassifierFile {
  const k = trained.classes.length;
  const ids = Uint32Array.from([...trained.rows.keys()].sort((a, b) => a - b));
  const scales = Array.from({ length: k }, (_, c) => {
    let max = 0;
    for (const row of trained.rows.values()) max = Math.max(max, Math.abs(row[c]!));
    return max / 127 || 1;
  });
  const q = new Int8Array(ids.length * k);
  ids.forEach((id, i) => {
    const row = trained.rows.get(id)!;
    for (let c = 0; c < k; c++) q[i * k + c] = Math.round(row[c]! / scales[c]!);
  });
  return {
    format: CLASSIFIER_FORMAT,
    version: 1,
    classes: [...trained.classes],
    hashBits: trained.hashBits,
    featureIds: Buffer.from(ids.buffer).toString("base64"),
    weights: Buffer.from(q.buffer).toString("base64"),
    scales,
    bias: [...trained.bias],
    ...(trained.dense ? { dense: { embedder: trained.dense.embedder, dimensions: trained.dense.dimensions, weights: [...trained.dense.weights] } } : {}),
    training: trained.training,
  };
}

/** Validate a parsed classifier file and make it callable. */
export function loadClassifier(json: unknown): RiskClassifier {
  const file = fileSchema.parse(json);
  const k = file.classes.length;
  const idBytes = Buffer.from(file.featureIds, "base64");
  const ids = new Uint32Array(idBytes.buffer.slice(idBytes.byteOffset, idBytes.byteOffset + idBytes.byteLength));
  const weightBytes = Buffer.from(file.weights, "base64");
  const q = new Int8Array(weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength));
  if (q.length !== ids.length * k || file.scales.length !== k || file.bias.length !== k) throw new Error("Risk classifier file: weights do not match its classes and features");
  const rowOf = new Map<number, number>();
  ids.forEach((id, i) => rowOf.set(id, i));
  return {
    classes: file.classes,
    denseEmbedder: file.dense?.embedder,
    training: file.training,
    predict(text, vector) {
      const logits = Float64Array.from(file.bias);
      addSparse(logits, featuresOf(text, file.hashBits), (id) => rowOf.get(id), (row, c) => q[row * k + c]! * file.scales[c]!);
      if (file.dense && vector) addDense(logits, vector, file.dense.weights);
      return softmaxInPlace(logits);
    },
  };
}

function addSparse(logits: Float64Array, x: SparseVector, rowOf: (id: number) => number | undefined, weight: (row: number, c: number) => number): void {
  for (let i = 0; i < x.ids.length; i++) {
    const row = rowOf(x.ids[i]!);
    if (row === undefined) continue;
    for (let c = 0; c < logits.length; c++) logits[c]! += x.values[i]! * weight(row, c);
  }
}

function addDense(logits: Float64Array, vector: Float32Array, weights: ArrayLike<number>): void {
  const k = logits.length;
  for (let d = 0; d < vector.length; d++) {
    for (let c = 0; c < k; c++) logits[c]! += vector[d]! * weights[d * k + c]!;
  }
}

/** Scores with float weights straight from training (cross-validation uses this, before packing). */
export function predictTrained(trained: TrainedWeights, x: SparseVector, vector?: Float32Array): Float64Array {
  const logits = Float64Array.from(trained.bias);
  const k = logits.length;
  for (let i = 0; i < x.ids.length; i++) {
    const row = trained.rows.get(x.ids[i]!);
    if (!row) continue;
    for (let c = 0; c < k; c++) logits[c]! += x.values[i]! * row[c]!;
  }
  if (trained.dense && vector) addDense(logits, vector, trained.dense.weights);
  return softmaxInPlace(logits);
}
