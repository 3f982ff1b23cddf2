/**
 * Training the risk classifier: softmax regression with AdaGrad and L2, over
 * examples shuffled by a seeded generator, so the same data gives the same
 * weights on every run. Features seen in fewer than `minDocs` examples are
 * left out: they cannot generalise and only make the file larger.
 */
import { seededRandom } from "@/lib/random";
import { DEFAULT_HASH_BITS, featuresOf, type SparseVector } from "./features";
import { softmaxInPlace, type TrainedWeights } from "./model";

export interface TrainingExample {
  text: string;
  /** One of the classes. */
  label: string;
  /** The sentence vector, when the model reads one. */
  vector?: Float32Array;
}

export interface TrainOptions {
  classes: readonly string[];
  hashBits?: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  minDocs?: number;
  /** The embedder that made the examples' vectors (recorded in the model). */
  denseEmbedder?: string;
  /** Recorded in the model file as it is. */
  training?: Record<string, unknown>;
}

interface Prepared {
  x: SparseVector;
  vector?: Float32Array;
  label: number;
  weight: number;
}

export function trainClassifier(examples: readonly TrainingExample[], options: TrainOptions): TrainedWeights {
  const run = trainingRun(examples, options, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = run.next();
    if (step.done) return step.value;
  }
}

/**
 * The same training, the same weights, handing the event loop back every `every`
 * examples: a web server can retrain without stalling the requests it serves.
 */
export async function trainClassifierInTurns(examples: readonly TrainingExample[], options: TrainOptions, every = 50): Promise<TrainedWeights> {
  const run = trainingRun(examples, options, every);
  for (;;) {
    const step = run.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function* trainingRun(examples: readonly TrainingExample[], options: TrainOptions, every: number): Generator<void, TrainedWeights> {
  const { classes } = options;
  const hashBits = options.hashBits ?? DEFAULT_HASH_BITS;
  const vectors: SparseVector[] = [];
  for (const e of examples) {
    vectors.push(featuresOf(e.text, hashBits));
    if (vectors.length % every === 0) yield;
  }
  const prepared = prepare(examples, vectors, classes, options.minDocs ?? 2);
  const dims = examples.find((e) => e.vector)?.vector?.length ?? 0;
  const model = new AdaGrad(classes.length, dims, options.learningRate ?? 0.5, options.l2 ?? 1e-6);
  const random = seededRandom(options.seed ?? 1);
  const order = prepared.map((_, i) => i);
  let steps = 0;
  for (let epoch = 0; epoch < (options.epochs ?? 20); epoch++) {
    shuffle(order, random);
    for (const i of order) {
      model.step(prepared[i]!);
      if (++steps % every === 0) yield;
    }
  }
  return {
    classes,
    hashBits,
    rows: model.rows,
    bias: model.bias,
    ...(dims && options.denseEmbedder ? { dense: { embedder: options.denseEmbedder, dimensions: dims, weights: model.dense } } : {}),
    training: options.training ?? {},
  };
}

/** Features once per example, rare ones dropped, and class weights that balance the classes' shares. */
function prepare(examples: readonly TrainingExample[], vectors: readonly SparseVector[], classes: readonly string[], minDocs: number): Prepared[] {
  const docs = new Map<number, number>();
  for (const x of vectors) for (const id of x.ids) docs.set(id, (docs.get(id) ?? 0) + 1);
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return examples.map((e, i) => {
    const label = classes.indexOf(e.label);
    if (label < 0) throw new Error(`Training example ${i + 1} has label "${e.label}", which is not one of ${classes.join(", ")}`);
    const all = vectors[i]!;
    const keep = [...all.ids.keys()].filter((j) => docs.get(all.ids[j]!)! >= minDocs);
    const x = { ids: Uint32Array.from(keep, (j) => all.ids[j]!), values: Float32Array.from(keep, (j) => all.values[j]!) };
    // The square root softens the balance: routine questions are common for a reason.
    const weight = Math.sqrt(examples.length / (classes.length * counts.get(e.label)!));
    return { x, vector: e.vector, label, weight };
  });
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}

/** Weights and their AdaGrad accumulators, updated one example at a time. */
class AdaGrad {
  readonly rows = new Map<number, Float64Array>();
  readonly bias: Float64Array;
  readonly dense: Float64Array;
  private readonly sums = new Map<number, Float64Array>();
  private readonly biasSums: Float64Array;
  private readonly denseSums: Float64Array;

  constructor(
    private readonly k: number,
    dims: number,
    private readonly rate: number,
    private readonly l2: number,
  ) {
    this.bias = new Float64Array(k);
    this.biasSums = new Float64Array(k);
    this.dense = new Float64Array(dims * k);
    this.denseSums = new Float64Array(dims * k);
  }

  step(example: Prepared): void {
    const { x, vector, label, weight } = example;
    const { k } = this;
    const logits = Float64Array.from(this.bias);
    for (let i = 0; i < x.ids.length; i++) {
      const row = this.row(x.ids[i]!);
      for (let c = 0; c < k; c++) logits[c]! += x.values[i]! * row[c]!;
    }
    if (vector) for (let d = 0; d < vector.length; d++) for (let c = 0; c < k; c++) logits[c]! += vector[d]! * this.dense[d * k + c]!;
    const errors = softmaxInPlace(logits).map((p, c) => weight * (p - (c === label ? 1 : 0)));
    for (let i = 0; i < x.ids.length; i++) this.update(this.row(x.ids[i]!), this.sums.get(x.ids[i]!)!, 0, errors, x.values[i]!);
    if (vector) for (let d = 0; d < vector.length; d++) this.update(this.dense, this.denseSums, d * k, errors, vector[d]!);
    this.update(this.bias, this.biasSums, 0, errors, 1, 0);
  }

  private row(id: number): Float64Array {
    let row = this.rows.get(id);
    if (!row) {
      row = new Float64Array(this.k);
      this.rows.set(id, row);
      this.sums.set(id, new Float64Array(this.k));
    }
    return row;
  }

  private update(w: Float64Array, sums: Float64Array, offset: number, errors: Float64Array, input: number, l2 = this.l2): void {
    for (let c = 0; c < this.k; c++) {
      const grad = errors[c]! * input + l2 * w[offset + c]!;
      sums[offset + c]! += grad * grad;
      w[offset + c]! -= (this.rate * grad) / (Math.sqrt(sums[offset + c]!) + 1e-8);
    }
  }
}
