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
const RUNS = 5;

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

const embedMs = await timeRuns(() => embedder.embed(passages, { kind: "passage" }));
const perSecond = (ms: number) => (PASSAGES / ms) * 1000;
console.log(`  embed():            ${embedMs.toFixed(1)} ms  →  ${perSecond(embedMs).toFixed(0)} passages/s`);

if (embedder instanceof StaticOnnxEmbedder) {
  // The same batches embed() forms: sorted by length, cut at maxBatch, tokenised beforehand.
  let encoded: number[][] = [];
  const tokeniseMs = await timeRuns(async () => {
    encoded = passages.map((p) => embedder.encode(p));
  });
  const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a]?.length ?? 0) - (encoded[b]?.length ?? 0));
  const rows: number[][][] = [];
  for (let s = 0; s < order.length; s += embedder.maxBatch) rows.push(order.slice(s, s + embedder.maxBatch).map((i) => encoded[i] ?? []));
  let batches = rows.map((r) => embedder.feedsFor(r));
  const feedsMs = await timeRuns(async () => {
    batches = rows.map((r) => embedder.feedsFor(r));
  });
  const rawMs = await timeRuns(async () => {
    for (const b of batches) await embedder.session.run(b.feeds);
  });
  const tokens = encoded.reduce((n, e) => n + e.length, 0);
  console.log(`  raw session.run:    ${rawMs.toFixed(1)} ms  →  ${perSecond(rawMs).toFixed(0)} passages/s  (${(tokens / PASSAGES).toFixed(0)} tokens/passage)`);
  console.log(`  of which outside the model: tokenising ${tokeniseMs.toFixed(1)} ms, building int64 feeds ${feedsMs.toFixed(1)} ms`);
  const ratio = perSecond(embedMs) / perSecond(rawMs);
  const overhead = embedMs / rawMs - 1;
  const wrapperOverhead = (embedMs - tokeniseMs) / rawMs - 1;
  console.log(`  embed()/raw throughput ratio: ${ratio.toFixed(3)}  → overhead ${(overhead * 100).toFixed(0)}% (target < 10%: ${overhead < 0.1 ? "met" : "NOT met"})`);
  console.log(`  overhead without tokenisation (feeds, sorting, copying vectors out): ${(wrapperOverhead * 100).toFixed(0)}%`);
}
console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await embedder.close?.();
