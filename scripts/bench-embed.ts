/**
 * npm run bench:embed — embeds 1,000 passages of about 120 words at EMBED_BATCH
 * and prints passages/s, the ratio to raw onnxruntime session.run on the same
 * pre-tokenised batches (static model), and peak RSS. Prints; asserts nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings/factory";
import { StaticOnnxEmbedder } from "@/lib/embeddings/static";
import { getEnv } from "@/lib/env";

const PASSAGES = 1000;
const WORDS = 120;
const RUNS = 7;

const env = getEnv();
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(
  fs.readFileSync(path.join(here, "../lib/embeddings/fixtures/support-triples.json"), "utf8"),
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
async function timeRuns(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const embedder = await createEmbedder(embedderConfigFromEnv(env, (l) => console.log(l)));
console.log(`bench:embed: ${embedder.id} (${embedder.kind}), ${PASSAGES} passages × ${WORDS} words, batch ${embedder.maxBatch}, median of ${RUNS} runs`);

const perSecond = (ms: number) => (PASSAGES / ms) * 1000;
const embedAll = () => embedder.embed(passages, { kind: "passage" });

if (!(embedder instanceof StaticOnnxEmbedder)) {
  const embedMs = await timeRuns(embedAll);
  console.log(`  embed():            ${embedMs.toFixed(1)} ms  →  ${perSecond(embedMs).toFixed(0)} passages/s`);
} else {
  // Raw: the same batches embed() forms (sorted by length, cut at maxBatch), tokenised beforehand.
  const encoded = passages.map((p) => embedder.encode(p));
  const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a]?.length ?? 0) - (encoded[b]?.length ?? 0));
  const batches: ReturnType<typeof embedder.feedsFor>[] = [];
  for (let s = 0; s < order.length; s += embedder.maxBatch) {
    batches.push(embedder.feedsFor(order.slice(s, s + embedder.maxBatch).map((i) => encoded[i] ?? [])));
  }
  const rawRun = async () => {
    for (const b of batches) await embedder.session.run(b.feeds);
  };
  const tokenise = async () => passages.map((p) => embedder.encode(p));
  // Interleaved runs, so that load from other processes hits all three alike.
  await embedAll();
  await rawRun();
  await tokenise();
  const times = { embed: [] as number[], raw: [] as number[], tokenise: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    for (const [key, fn] of [["embed", embedAll], ["raw", rawRun], ["tokenise", tokenise]] as const) {
      const t0 = performance.now();
      await fn();
      times[key].push(performance.now() - t0);
    }
  }
  const [embedMs, rawMs, tokeniseMs] = [median(times.embed), median(times.raw), median(times.tokenise)];
  const tokens = encoded.reduce((n, e) => n + e.length, 0);
  console.log(`  embed():            ${embedMs.toFixed(1)} ms  →  ${perSecond(embedMs).toFixed(0)} passages/s`);
  console.log(`  raw session.run:    ${rawMs.toFixed(1)} ms  →  ${perSecond(rawMs).toFixed(0)} passages/s  (${(tokens / PASSAGES).toFixed(0)} tokens/passage)`);
  console.log(`  tokenising alone:   ${tokeniseMs.toFixed(1)} ms`);
  const overhead = embedMs / rawMs - 1;
  console.log(
    `  embed()/raw throughput ratio: ${(rawMs / embedMs).toFixed(3)}  → overhead ${(overhead * 100).toFixed(0)}% ` +
      `(target < 10%: ${overhead < 0.1 ? "met" : "NOT met"})`,
  );
  const wrapper = (embedMs - tokeniseMs) / rawMs - 1;
  console.log(`  overhead without tokenising (feeds, sorting, copying vectors out): ${(wrapper * 100).toFixed(0)}%`);
}
console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await embedder.close?.();
