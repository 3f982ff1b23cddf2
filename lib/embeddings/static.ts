/**
 * The offline default embedder: wink-sif-100d run with onnxruntime-node.
 * Symmetric (queries and passages are embedded alike). Inputs longer than
 * maxTokens vocabulary tokens are TRUNCATED to their first maxTokens tokens.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ort from "onnxruntime-node";
import { packRows, planBatches } from "./batch-rows";
import { replaceTokenWeights, readTokenWeights } from "./build/onnx-graph";
import { TokenIdBuffer } from "./token-buffer";
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

async function readVocabulary(file: string): Promise<Map<string, number>> {
  const lines = (await fs.readFile(file, "utf8")).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return new Map(lines.map((token, id) => [token, id]));
}

export class StaticOnnxEmbedder implements Embedder {
  readonly kind = "static" as const;
  /** Words never span whitespace, and no special tokens are added: counts add up (see TokenCounter). */
  readonly additive = true;
  readonly dimensions = WINK_DIMENSIONS;
  /** Token id scratch for packing a batch (packing is synchronous, so calls never share it mid-use). */
  private readonly sink = new TokenIdBuffer(1 << 14);

  private constructor(
    readonly id: string,
    private readonly session: ort.InferenceSession,
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
    return this.tokenizer.count(text);
  }

  /**
   * Unit vectors, one per text, in order. A text with no known word (empty,
   * emoji, non-Latin script) gets the zero vector: it is similar to nothing.
   * The vectors are disjoint views of each batch's own output buffer
   * (onnxruntime-node allocates a new one per run; a test checks that), which
   * saves a copy per vector: copy a vector with `Float32Array.from(v)` or
   * `v.slice()`, never via `v.buffer`.
   */
  async embed(texts: string[], _options?: EmbedOptions): Promise<Float32Array[]> {
    const result = new Array<Float32Array>(texts.length);
    const d = this.dimensions;
    for (const indices of planBatches(texts, this.maxBatch)) {
      const packed = packRows(this.tokenizer, indices.map((i) => texts[i] ?? ""), this.maxTokens, this.sink);
      const dims = [packed.rows, packed.cols];
      const feeds = { [WINK_INPUT_IDS]: new ort.Tensor("int64", packed.ids, dims), [WINK_ATTENTION_MASK]: new ort.Tensor("int64", packed.mask, dims) };
      const out = (await this.session.run(feeds))[WINK_OUTPUT];
      if (!out || !(out.data instanceof Float32Array)) throw new Error(`${this.id}: model returned no ${WINK_OUTPUT}`);
      const { buffer, byteOffset } = out.data;
      // The constructor makes a view without subarray()'s species lookup.
      for (let j = 0; j < indices.length; j++) result[indices[j]!] = new Float32Array(buffer, byteOffset + 4 * j * d, d);
    }
    return result;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
