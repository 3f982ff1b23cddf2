/**
 * Transformer sentence encoders (bge, MiniLM, e5, gte, nomic …) through
 * @xenova/transformers, loaded only from `<modelsDir>/<modelId>/`.
 *
 * transformers.js bundles its own, older onnxruntime-node; two onnxruntime
 * builds in one process conflict, so the library is imported lazily, only
 * when this embedder is chosen. Input longer than the model's limit is
 * truncated by its tokenizer.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Embedder, EmbedOptions } from "./types";

export type Pooling = "mean" | "cls";

/** How a model family wants to be called, from its files and, failing that, its name. */
export interface TransformerProfile {
  pooling: Pooling;
  queryPrefix: string;
  passagePrefix: string;
}

const BGE_EN_QUERY = "Represent this sentence for searching relevant passages: ";
const BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章：";

/** Query/passage prefixes from the model cards (none for models trained symmetric, e.g. all-MiniLM). */
export function prefixesFor(modelId: string): Pick<TransformerProfile, "queryPrefix" | "passagePrefix"> {
  const name = modelId.toLowerCase();
  if (/bge-m3/.test(name)) return { queryPrefix: "", passagePrefix: "" };
  if (/bge-.*-zh/.test(name)) return { queryPrefix: BGE_ZH_QUERY, passagePrefix: "" };
  if (/bge-/.test(name)) return { queryPrefix: BGE_EN_QUERY, passagePrefix: "" };
  if (/(^|[/-])e5-/.test(name)) return { queryPrefix: "query: ", passagePrefix: "passage: " };
  if (/nomic-embed/.test(name)) return { queryPrefix: "search_query: ", passagePrefix: "search_document: " };
  return { queryPrefix: "", passagePrefix: "" };
}

/**
 * Pooling from sentence-transformers' 1_Pooling/config.json when the model
 * ships it, else by family: bge uses the CLS token, the others mean pooling.
 */
export function poolingFor(modelId: string, poolingConfig?: Record<string, unknown>): Pooling {
  if (poolingConfig?.["pooling_mode_cls_token"] === true) return "cls";
  if (poolingConfig?.["pooling_mode_mean_tokens"] === true) return "mean";
  return /bge-/i.test(modelId) ? "cls" : "mean";
}

export interface TransformersEmbedderOptions {
  modelsDir: string;
  /** Folder under modelsDir, as transformers.js resolves it (e.g. "BAAI/bge-small-en-v1.5"). */
  modelId: string;
  /** Manifest id to name in "run models:pull" hints, when it differs from the folder. */
  manifestId?: string;
  maxBatch?: number;
}

/** What a model folder must hold; `quantized` says which ONNX file transformers.js will read. */
export async function inspectModelFolder(
  modelsDir: string,
  modelId: string,
  manifestId = modelId,
): Promise<{ dir: string; quantized: boolean; config: Record<string, unknown>; tokenizerConfig: Record<string, unknown>; poolingConfig?: Record<string, unknown> }> {
  const dir = path.join(modelsDir, modelId);
  const has = (f: string) => fs.access(path.join(dir, f)).then(() => true, () => false);
  const quantized = await has("onnx/model_quantized.onnx");
  const missing: string[] = [];
  for (const f of ["config.json", "tokenizer.json", "tokenizer_config.json"]) if (!(await has(f))) missing.push(f);
  if (!quantized && !(await has("onnx/model.onnx"))) missing.push("onnx/model_quantized.onnx (or onnx/model.onnx)");
  if (missing.length > 0) {
    throw new Error(
      `Embedding model "${modelId}" is not installed in ${dir}: missing ${missing.join(", ")}. ` +
        `Run \`npm run models:pull -- ${manifestId}\` (set MODELS_MIRROR when offline).`,
    );
  }
  const readJson = async (f: string) => JSON.parse(await fs.readFile(path.join(dir, f), "utf8")) as Record<string, unknown>;
  return {
    dir,
    quantized,
    config: await readJson("config.json"),
    tokenizerConfig: await readJson("tokenizer_config.json"),
    poolingConfig: (await has("1_Pooling/config.json")) ? await readJson("1_Pooling/config.json") : undefined,
  };
}

type Extractor = ((texts: string[], options: { pooling: Pooling; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>) & {
  tokenizer: { encode(text: string): number[] };
  dispose(): Promise<void>;
};

/** A transformers.js feature-extraction pipeline with the model's pooling and prefixes, normalised. */
export class TransformersEmbedder implements Embedder {
  readonly kind = "transformer" as const;

  private constructor(
    readonly id: string,
    readonly dimensions: number,
    readonly maxBatch: number,
    readonly maxTokens: number,
    readonly profile: TransformerProfile,
    private readonly extractor: Extractor,
  ) {}

  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const folder = await inspectModelFolder(options.modelsDir, options.modelId, options.manifestId);
    const dimensions = Number(folder.config["hidden_size"] ?? folder.config["d_model"]);
    if (!Number.isInteger(dimensions) || dimensions <= 0) throw new Error(`${options.modelId}: config.json has no hidden_size`);
    const declared = Number(folder.tokenizerConfig["model_max_length"]);
    const positions = Number(folder.config["max_position_embeddings"]);
    // tokenizer_config often says 1e30 for "no limit"; the position table is the real one.
    const maxTokens = Number.isFinite(declared) && declared < 100_000 ? declared : Number.isFinite(positions) ? positions : 512;

    const { pipeline, env } = await import("@xenova/transformers");
    // transformers.js settings are process-wide; every instance sets the same offline values.
    env.localModelPath = options.modelsDir;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    const extractor = (await pipeline("feature-extraction", options.modelId, {
      quantized: folder.quantized,
    })) as unknown as Extractor;
    const profile = { pooling: poolingFor(options.modelId, folder.poolingConfig), ...prefixesFor(options.modelId) };
    return new TransformersEmbedder(options.modelId, dimensions, options.maxBatch ?? 32, maxTokens, profile, extractor);
  }

  countTokens(text: string): number {
    return this.extractor.tokenizer.encode(text).length;
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    const prefix = options.kind === "query" ? this.profile.queryPrefix : this.profile.passagePrefix;
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.maxBatch) {
      const batch = texts.slice(start, start + this.maxBatch).map((t) => prefix + t);
      const result = await this.extractor(batch, { pooling: this.profile.pooling, normalize: true });
      const d = this.dimensions;
      for (let i = 0; i < batch.length; i++) out.push(result.data.slice(i * d, (i + 1) * d));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.extractor.dispose();
  }
}
