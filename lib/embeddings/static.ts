/**
 * The offline default embedder: wink-sif-100d run with onnxruntime-node.
 * Symmetric (queries and passages are embedded alike). Inputs longer than
 * maxTokens vocabulary tokens are TRUNCATED to their first maxTokens tokens.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ort from "onnxruntime-node";
import { replaceTokenWeights, readTokenWeights } from "./build/onnx-graph";
import { WordTokenizer } from "./tokenizer";
import type { Embedder, EmbedOptions } from "./types";
import {
  WINK_ATTENTION_MASK,
  WINK_DIMENSIONS,
  WINK_INPUT_IDS,
  WINK_MAX_TOKENS,
  WINK_MODEL_FILE,
  WINK_MODEL_ID,
  WINK_OUTPUT,
  WINK_VOCAB_FILE,
} from "./wink-model";

/** A per-token weight table replacing the built-in SIF weights, e.g. IDF from the ingested corpus. */
export interface TokenWeights {
  /** Short stable name of the table ("idf-3f2a9c1b07de"); it becomes part of the embedder id. */
  id: string;
  /** One weight per vocabulary id; index 0 (padding) must be 0. */
  weights: Float32Array;
}

export interface StaticEmbedderOptions {
  /** Folder holding model.onnx and vocab.txt (`<MODELS_DIR>/wink-sif-100d`). */
  modelDir: string;
  maxBatch?: number;
  maxTokens?: number;
  /** onnxruntime intra-op threads; the machine is shared, so default 1. */
  threads?: number;
  tokenWeights?: TokenWeights;
}

/** Pre-tokenised feeds for one batch; exposed so the benchmark can time session.run alone. */
export interface EncodedBatch {
  feeds: Record<string, ort.Tensor>;
  rows: number;
}

async function readVocabulary(file: string): Promise<Map<string, number>> {
  const lines = (await fs.readFile(file, "utf8")).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return new Map(lines.map((token, id) => [token, id]));
}

/**
 * An int64 [rows, cols] tensor and an Int32Array over it whose even slots are
 * the low words: ids are small non-negative ints, so writing the low word of a
 * zeroed BigInt64Array avoids a BigInt per element (little-endian hosts: x64, arm64).
 */
function int64Matrix(rows: number, cols: number): { tensor: ort.Tensor; low: Int32Array } {
  const big = new BigInt64Array(rows * cols);
  return { tensor: new ort.Tensor("int64", big, [rows, cols]), low: new Int32Array(big.buffer) };
}

export class StaticOnnxEmbedder implements Embedder {
  readonly kind = "static" as const;
  readonly dimensions = WINK_DIMENSIONS;

  private constructor(
    readonly id: string,
    /** The onnxruntime session, exposed for the benchmark that times session.run alone. */
    readonly session: ort.InferenceSession,
    private readonly tokenizer: WordTokenizer,
    readonly vocabularySize: number,
    readonly maxBatch: number,
    readonly maxTokens: number,
    private readonly options: StaticEmbedderOptions,
  ) {}

  /** Load from `<modelDir>`; throws a message naming the missing file and `npm run models:build`. */
  static async load(options: StaticEmbedderOptions): Promise<StaticOnnxEmbedder> {
    if (os.endianness() !== "LE") throw new Error("StaticOnnxEmbedder builds int64 tensors for little-endian hosts only");
    const modelFile = path.join(options.modelDir, WINK_MODEL_FILE);
    const vocabFile = path.join(options.modelDir, WINK_VOCAB_FILE);
    for (const file of [modelFile, vocabFile]) {
      await fs.access(file).catch(() => {
        throw new Error(`Embedding model file ${file} is missing; run \`npm run models:build\``);
      });
    }
    const vocab = await readVocabulary(vocabFile);
    let model: Uint8Array = await fs.readFile(modelFile);
    let id = WINK_MODEL_ID;
    if (options.tokenWeights) {
      if (options.tokenWeights.weights.length !== vocab.size) {
        throw new Error(`Token weights have ${options.tokenWeights.weights.length} entries; the vocabulary has ${vocab.size}`);
      }
      model = replaceTokenWeights(model, options.tokenWeights.weights);
      id = `${WINK_MODEL_ID}+${options.tokenWeights.id}`;
    }
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
    });
    return new StaticOnnxEmbedder(
      id,
      session,
      new WordTokenizer(vocab),
      vocab.size,
      options.maxBatch ?? 64,
      options.maxTokens ?? WINK_MAX_TOKENS,
      options,
    );
  }

  /** A sibling embedder whose per-token weights are `tokenWeights` (its id says so, so vectors never mix). */
  withTokenWeights(tokenWeights: TokenWeights): Promise<StaticOnnxEmbedder> {
    return StaticOnnxEmbedder.load({ ...this.options, tokenWeights });
  }

  /** The built-in SIF weight table, for combining with corpus statistics. */
  async defaultTokenWeights(): Promise<Float32Array> {
    return readTokenWeights(await fs.readFile(path.join(this.options.modelDir, WINK_MODEL_FILE)));
  }

  /** Vocabulary ids of `text`, truncated to maxTokens. */
  encode(text: string): number[] {
    return this.tokenizer.encode(text, this.maxTokens);
  }

  /** Tokens the model would read if there were no limit (so a chunker can see it is over). */
  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  /** Padded int64 feeds for already-encoded rows. */
  feedsFor(rows: number[][]): EncodedBatch {
    let cols = 1; // a zero-width tensor would be an edge case for every op
    for (const row of rows) cols = Math.max(cols, row.length);
    const ids = int64Matrix(rows.length, cols);
    const mask = int64Matrix(rows.length, cols);
    rows.forEach((row, i) => {
      const base = 2 * i * cols;
      for (let j = 0; j < row.length; j++) {
        ids.low[base + 2 * j] = row[j] ?? 0;
        mask.low[base + 2 * j] = 1;
      }
    });
    return { rows: rows.length, feeds: { [WINK_INPUT_IDS]: ids.tensor, [WINK_ATTENTION_MASK]: mask.tensor } };
  }

  /** session.run on prepared feeds, one vector per row. */
  async run(batch: EncodedBatch): Promise<Float32Array[]> {
    const out = (await this.session.run(batch.feeds))[WINK_OUTPUT];
    if (!out || !(out.data instanceof Float32Array)) throw new Error(`${this.id}: model returned no ${WINK_OUTPUT}`);
    const data = out.data;
    const d = this.dimensions;
    return Array.from({ length: batch.rows }, (_, i) => data.slice(i * d, (i + 1) * d));
  }

  /**
   * Unit vectors, one per text, in order. A text with no known word (empty,
   * emoji, non-Latin script) gets the zero vector: it is similar to nothing.
   */
  async embed(texts: string[], _options?: EmbedOptions): Promise<Float32Array[]> {
    const encoded = texts.map((t) => this.encode(t));
    // Batch similar lengths together so little padding is computed; results go back in input order.
    const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a]?.length ?? 0) - (encoded[b]?.length ?? 0));
    const result = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.maxBatch) {
      const slice = order.slice(start, start + this.maxBatch);
      const vectors = await this.run(this.feedsFor(slice.map((i) => encoded[i] ?? [])));
      slice.forEach((i, k) => (result[i] = vectors[k] ?? new Float32Array(this.dimensions)));
    }
    return result;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
