/**
 * npm run bench:embed — embeds 1,000 passages of about 120 words with the
 * offline default embedder, and side by side with what a user would otherwise
 * write: an onnxruntime session of their own on the same model file, plain Map
 * lookups to tokenise (the tests' reference tokenizer, so both feed the model
 * the same ids) and batches in input order. Prints passages/s for each, the
 * throughput ratio and peak RSS; asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ort from "onnxruntime-node";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { ReferenceTokenizer } from "@/lib/embeddings/fixtures/reference-tokenizer";
import { StaticOnnxEmbedder } from "@/lib/embeddings/static";
import { WINK_ATTENTION_MASK, WINK_INPUT_IDS, WINK_MAX_TOKENS, WINK_MODEL_FILE, WINK_OUTPUT, WINK_VOCAB_FILE } from "@/lib/embeddings/wink-model";
import { getEnv } from "@/lib/env";
import { bootstrapMedianInterval, median } from "@/tools/bench/stats";

const PASSAGES = 1000;
const WORDS = 120;
const ROUNDS = 31;

const env = getEnv();
const fixture = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "../../lib/embeddings/fixtures/support-triples.json"), "utf8"),
) as { anchor: string; paraphrase: string; unrelated: string }[];
const sentences = fixture.flatMap((t) => [t.anchor, t.paraphrase, t.unrelated]);

// Deterministic passages: support sentences drawn by a seeded LCG until ~120 words.
let seed = 42;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const passages = Array.from({ length: PASSAGES }, () => {
  const words: string[] = [];
  while (words.length < WORDS) words.push(...(sentences[Math.floor(next() * sentences.length)] ?? "").split(" "));
  return words.slice(0, WORDS).join(" ");
});

const { dir } = await ensureDefaultEmbeddingModel(env.modelsDir, (line) => console.log(line));
const embedder = await StaticOnnxEmbedder.load({ modelDir: dir, maxBatch: env.EMBED_BATCH });

// The plain version. One intra-op thread like the embedder's, so the ratio compares the code around the model.
const vocabLines = fs.readFileSync(path.join(dir, WINK_VOCAB_FILE), "utf8").split("\n");
if (vocabLines.at(-1) === "") vocabLines.pop();
const plainTokenizer = new ReferenceTokenizer(new Map(vocabLines.map((token, id) => [token, id])));
const session = await ort.InferenceSession.create(path.join(dir, WINK_MODEL_FILE), { intraOpNumThreads: 1, interOpNumThreads: 1 });
async function plainEmbed(texts: string[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += embedder.maxBatch) {
    const rows = texts.slice(start, start + embedder.maxBatch).map((t) => plainTokenizer.encode(t, WINK_MAX_TOKENS));
    const cols = Math.max(1, ...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * cols);
    const mask = new BigInt64Array(rows.length * cols);
    for (const [r, row] of rows.entries()) {
      for (const [c, id] of row.entries()) {
        ids[r * cols + c] = BigInt(id);
        mask[r * cols + c] = 1n;
      }
    }
    const dims = [rows.length, cols];
    const out = await session.run({ [WINK_INPUT_IDS]: new ort.Tensor("int64", ids, dims), [WINK_ATTENTION_MASK]: new ort.Tensor("int64", mask, dims) });
    const data = out[WINK_OUTPUT]!.data as Float32Array;
    for (let r = 0; r < rows.length; r++) vectors.push(data.slice(r * embedder.dimensions, (r + 1) * embedder.dimensions));
  }
  return vectors;
}

// Same work: the two must agree on every vector.
const [mine, plain] = [await embedder.embed(passages), await plainEmbed(passages)];
const maxDiff = Math.max(...mine.map((v, i) => Math.max(...v.map((x, d) => Math.abs(x - plain[i]![d]!)))));

// Interleaved rounds, so load from other processes on a shared machine hits both alike.
const times = { embed: [] as number[], plain: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of [["embed", () => embedder.embed(passages)], ["plain", () => plainEmbed(passages)]] as const) {
    const t0 = performance.now();
    await run();
    times[name].push(performance.now() - t0);
  }
}

const line = (label: string, ms: number) => `  ${label.padEnd(36)} ${ms.toFixed(1).padStart(7)} ms  →  ${((PASSAGES / ms) * 1000).toFixed(0).padStart(6)} passages/s`;
const [embedMs, plainMs] = [median(times.embed), median(times.plain)];
const [low, high] = bootstrapMedianInterval(times.plain.map((p, i) => p / times.embed[i]!));
console.log(`bench:embed: ${embedder.id}, ${PASSAGES} passages × ${WORDS} words, batch ${embedder.maxBatch}, median of ${ROUNDS} rounds`);
console.log(line("embed()", embedMs));
console.log(line("plain onnxruntime + Map tokenizer", plainMs));
console.log(`  throughput ratio embed()/plain: ${(plainMs / embedMs).toFixed(2)} (90% interval of the rounds' median ratio ${low.toFixed(2)}–${high.toFixed(2)}); largest vector difference ${maxDiff.toExponential(1)}`);
console.log(`  load average (1 min) ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await session.release();
await embedder.close();
