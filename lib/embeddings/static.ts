/**
 * The offline default embedder: wink-sif-100d run with onnxruntime-node.
 * Symmetric (queries and passages are embedded alike). Inputs longer than
 * maxTokens vocabulary tokens are TRUNCATED to their first maxTokens tokens.
 *
 * Tokenising costs a third to half as much as the model (ASCII text is
 * scanned in WebAssembly: wasm/scan.as.ts), so an embed() call of more than
 * one batch tokenises on a worker thread (tokenizer-thread.ts) while this
 * thread runs the model (both threads tokenise the first batch); a call of
 * one batch (how ingest calls it) has nothing to overlap and tokenises
 * inline. Both give the same vectors.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ort from "onnxruntime-node";
import { packRows, planBatches, RowTokens, type PackedRows } from "./batch-rows";
import { replaceTokenWeights, readTokenWeights } from "./build/onnx-graph";
import { PackedVocabulary } from "./packed-vocabulary";
import { TokenIdBuffer } from "./token-buffer";
import { WordTokenizer } from "./tokenizer";
import { TokenizerThread, type TokenizeJob } from "./tokenizer-thread";
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
  /**
   * Tokenise on a worker thread while the model runs, for embed() calls of
   * more than one batch (default true). The thread starts with the first such
   * call and is used once it is up; where it cannot start, tokenising stays inline.
   */
  tokenizerThread?: boolean;
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

function feedsOf(packed: PackedRows): EncodedBatch {
  const dims = [packed.rows, packed.cols];
  return {
    rows: packed.rows,
    feeds: { [WINK_INPUT_IDS]: new ort.Tensor("int64", packed.ids, dims), [WINK_ATTENTION_MASK]: new ort.Tensor("int64", packed.mask, dims) },
  };
}

export class StaticOnnxEmbedder implements Embedder {
  readonly kind = "static" as const;
  readonly dimensions = WINK_DIMENSIONS;
  private readonly sink = new TokenIdBuffer(1 << 14);
  /** Batches embed() has tokenised on the thread and inline, for benchmarks. */
  readonly batchCounts = { thread: 0, inline: 0 };
  /**
   * The tokenizer thread: undefined until a multi-batch call starts it, null if it may not or
   * cannot run. One call uses it at a time; calls overlapping that one tokenise inline.
   */
  private thread: TokenizerThread | null | undefined;

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
      // Shared memory, so a tokenizer thread can read the same tables.
      new WordTokenizer(PackedVocabulary.build(vocab, { shared: true })),
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
   * The batches embed(texts) runs, tokenised here and now: indices into
   * `texts` and their feeds (for the benchmark that times session.run alone).
   */
  prepareBatches(texts: string[]): { indices: number[]; batch: EncodedBatch }[] {
    return planBatches(texts, this.maxBatch).map((indices) => ({
      indices,
      batch: feedsOf(packRows(this.tokenizer, indices.map((i) => texts[i] ?? ""), this.maxTokens, this.sink)),
    }));
  }

  /**
   * session.run on prepared feeds, one vector per row. The vectors are
   * disjoint views of the run's own output buffer (onnxruntime-node allocates
   * a new one per run; a test checks that), which saves a copy per vector:
   * copy a vector with `Float32Array.from(v)` or `v.slice()`, never via `v.buffer`.
   */
  async run(batch: EncodedBatch): Promise<Float32Array[]> {
    const out = (await this.session.run(batch.feeds))[WINK_OUTPUT];
    if (!out || !(out.data instanceof Float32Array)) throw new Error(`${this.id}: model returned no ${WINK_OUTPUT}`);
    const { buffer, byteOffset } = out.data;
    const d = this.dimensions;
    const vectors = new Array<Float32Array>(batch.rows);
    // The constructor makes a view in half the time subarray() does (no species lookup).
    for (let i = 0; i < batch.rows; i++) vectors[i] = new Float32Array(buffer, byteOffset + 4 * i * d, d);
    return vectors;
  }

  /**
   * Unit vectors, one per text, in order. A text with no known word (empty,
   * emoji, non-Latin script) gets the zero vector: it is similar to nothing.
   * The vectors are disjoint views of per-batch output buffers (see run()).
   */
  async embed(texts: string[], _options?: EmbedOptions): Promise<Float32Array[]> {
    const result = new Array<Float32Array>(texts.length);
    const plan = planBatches(texts, this.maxBatch);
    // With more than one batch, the thread tokenises ahead while this thread runs the model.
    const job = plan.length > 1 ? this.submitToThread(texts, plan) : undefined;
    try {
      for (const [k, indices] of plan.entries()) {
        const vectors = await this.run(feedsOf(await this.packedBatch(texts, indices, k, job)));
        for (let j = 0; j < indices.length; j++) result[indices[j]!] = vectors[j] ?? new Float32Array(this.dimensions);
      }
    } finally {
      job?.finish();
    }
    return result;
  }

  /**
   * Batch k's padded rows: the thread's where it tokenised them, else
   * tokenised here. Batch 0's rows are shared: this thread claims and
   * tokenises rows from the first one up while the tokenizer thread works
   * from the last one down, so the first model run starts as early as it can.
   */
  private async packedBatch(texts: string[], indices: number[], k: number, job: TokenizeJob | undefined): Promise<PackedRows> {
    const rows = new RowTokens(this.tokenizer, this.maxTokens, this.sink, indices.length);
    if (k === 0 && job) while (rows.rows < indices.length && job.claimRow(indices.length)) rows.add(texts[indices[rows.rows]!] ?? "");
    const fromThread = job ? await job.take(k) : null;
    this.batchCounts[fromThread ? "thread" : "inline"]++;
    if (fromThread) return rows.rows === 0 ? fromThread : rows.pack(fromThread);
    for (let r = rows.rows; r < indices.length; r++) rows.add(texts[indices[r]!] ?? "");
    return rows.pack();
  }

  /** A job on the tokenizer thread when it is up and free; starts the thread on first use (this call then tokenises inline). */
  private submitToThread(texts: string[], plan: number[][]): TokenizeJob | undefined {
    if (this.thread === undefined) {
      this.thread =
        this.options.tokenizerThread === false
          ? null
          : (TokenizerThread.start({ tables: this.tokenizer.packed.tables, maxTokens: this.maxTokens, maxBatch: this.maxBatch }) ?? null);
    }
    if (!this.thread?.usable || this.thread.busy) return undefined;
    return this.thread.submit(texts, plan);
  }

  /**
   * For the benchmark: the tokenizer thread tokenises `texts` as it does for embed() while
   * `each(k)` runs for batch k (the batch is taken after it, which frees its ring slot), so the
   * caller can time session.run under the load that tokenising puts on the other core.
   * False when the thread is not up or busy.
   */
  async whileThreadTokenises(texts: string[], each: (k: number) => Promise<void>): Promise<boolean> {
    const plan = planBatches(texts, this.maxBatch);
    const job = plan.length > 1 ? this.submitToThread(texts, plan) : undefined;
    if (!job) return false;
    try {
      for (let k = 0; k < plan.length; k++) {
        await each(k);
        await job.take(k);
      }
    } finally {
      job.finish();
    }
    return true;
  }

  /** Whether multi-batch embed() calls currently tokenise on the worker thread. */
  get tokenizesOnThread(): boolean {
    return this.thread?.usable ?? false;
  }

  async close(): Promise<void> {
    await this.thread?.close();
    this.thread = null;
    await this.session.release();
  }
}
