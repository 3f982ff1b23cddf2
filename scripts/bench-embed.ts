/**
 * npm run bench:embed — embeds 1,000 passages of about 120 words at EMBED_BATCH
 * and prints passages/s, the ratio to raw onnxruntime session.run on the same
 * pre-tokenised batches (static model), and peak RSS. Prints; asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings/factory";
import { StaticOnnxEmbedder } from "@/lib/embeddings/static";
import { getEnv } from "@/lib/env";
import { bootstrapMedianInterval, median } from "@/lib/stats";

const PASSAGES = 1000;
const WORDS = 120;
const RUNS = 31;
const TARGET_RATIO = 0.9;

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

const perSecond = (ms: number) => (PASSAGES / ms) * 1000;
const fmt = (ms: number) => `${ms.toFixed(1).padStart(6)} ms`;

interface Timing {
  wall: number[];
  /** Process CPU time (all threads), which the other users of a shared machine do not inflate as much as wall time. */
  cpu: number[];
  /**
   * How long the main thread was runnable but waiting for a core (Linux; NaN
   * elsewhere): other processes on a shared machine show up here. (Its CPU
   * time from the same file is only as fine as the scheduler tick, so it is not used.)
   */
  mainWait: number[];
}

function mainThreadRunQueueMs(): number {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** Runs each function RUNS times, interleaved so that load from other processes hits all alike. */
async function interleaved<K extends string>(fns: Record<K, () => Promise<unknown>>): Promise<Record<K, Timing>> {
  const keys = Object.keys(fns) as K[];
  const times = Object.fromEntries(keys.map((k) => [k, { wall: [], cpu: [], mainWait: [] }])) as unknown as Record<K, Timing>;
  for (const k of keys) await fns[k](); // warm-up
  for (let i = 0; i < RUNS; i++) {
    for (const k of keys) {
      const wait0 = mainThreadRunQueueMs();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await fns[k]();
      times[k].wall.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      times[k].cpu.push((cpu.user + cpu.system) / 1000);
      times[k].mainWait.push(mainThreadRunQueueMs() - wait0);
    }
  }
  return times;
}

const embedder = await createEmbedder(embedderConfigFromEnv(env, (l) => console.log(l)));
console.log(`bench:embed: ${embedder.id} (${embedder.kind}), ${PASSAGES} passages × ${WORDS} words, batch ${embedder.maxBatch}, median of ${RUNS} runs`);
const embedAll = () => embedder.embed(passages, { kind: "passage" });

if (!(embedder instanceof StaticOnnxEmbedder)) {
  const t = await interleaved({ embed: embedAll });
  console.log(`  embed():  ${fmt(median(t.embed.wall))}  →  ${perSecond(median(t.embed.wall)).toFixed(0)} passages/s`);
} else {
  // Raw: exactly the batches embed() forms (same plan, same tokenizer), tokenised beforehand.
  await embedAll(); // the first multi-batch call starts the tokenizer thread; later calls use it once it is up
  for (let waited = 0; !embedder.tokenizesOnThread && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  const prepared = embedder.prepareBatches(passages);
  const tokens = prepared.reduce((n, p) => n + Number(p.batch.feeds.attention_mask?.data.length ?? 0), 0);
  const counted = { thread: 0, inline: 0 };
  // session.run's own time while the tokenizer thread tokenises the same passages on the other core.
  const underLoad: number[] = [];
  const t = await interleaved({
    embed: async () => {
      const before = { ...embedder.batchCounts };
      await embedAll();
      counted.thread += embedder.batchCounts.thread - before.thread;
      counted.inline += embedder.batchCounts.inline - before.inline;
    },
    raw: async () => {
      for (const p of prepared) await embedder.session.run(p.batch.feeds);
    },
    loaded: async () => {
      let ms = 0;
      await embedder.whileThreadTokenises(passages, async (k) => {
        const start = performance.now();
        await embedder.session.run(prepared[k]!.batch.feeds);
        ms += performance.now() - start;
      });
      underLoad.push(ms);
    },
    tokenise: async () => embedder.prepareBatches(passages),
    // How ingest calls it: one batch per call, so there is nothing to overlap and tokenising stays inline.
    slices: async () => {
      for (let i = 0; i < PASSAGES; i += embedder.maxBatch) await embedder.embed(passages.slice(i, i + embedder.maxBatch), { kind: "passage" });
    },
  });
  const [embedMs, rawMs, tokeniseMs, slicesMs] = [t.embed, t.raw, t.tokenise, t.slices].map((x) => median(x.wall)) as [number, number, number, number];
  const cpu = (x: Timing) => `CPU (all threads) ${fmt(median(x.cpu))}; main thread waited ${median(x.mainWait).toFixed(1)} ms for a core`;
  const ratio = rawMs / embedMs;
  console.log(
    `  tokenizing in embed(): ${embedder.tokenizesOnThread ? "worker thread running" : "inline only (worker thread not running)"}; ` +
      `batches tokenised by the worker thread ${counted.thread}, by the main thread ${counted.inline} (batch 0 of each call is shared: the main thread claims rows from its start, the worker from its end)`,
  );
  console.log(`  embed():                 ${fmt(embedMs)}  →  ${perSecond(embedMs).toFixed(0).padStart(7)} passages/s   ${cpu(t.embed)}`);
  console.log(`  raw session.run:         ${fmt(rawMs)}  →  ${perSecond(rawMs).toFixed(0).padStart(7)} passages/s   ${cpu(t.raw)}  (${(tokens / PASSAGES).toFixed(0)} padded tokens/passage)`);
  console.log(`  tokenising + feeds only: ${fmt(tokeniseMs)}                          ${cpu(t.tokenise)}`);
  // The first entry is the warm-up run's.
  const loadedMs = median(underLoad.slice(1));
  console.log(
    `  session.run while the tokenizer thread tokenises: ${fmt(loadedMs)} (${((loadedMs / rawMs - 1) * 100).toFixed(0)}% slower than alone: the two cores share cache and memory), ` +
      `so with tokenising off the main thread embed() can reach at most ratio ${(rawMs / loadedMs).toFixed(3)}`,
  );
  console.log(`  embed() one batch/call:  ${fmt(slicesMs)}  →  ${perSecond(slicesMs).toFixed(0).padStart(7)} passages/s   ${cpu(t.slices)}  (as ingest calls it: inline)`);
  // Each round times raw and embed() back to back, so the rounds' ratios show how far the verdict could move.
  const [low, high] = bootstrapMedianInterval(t.raw.wall.map((raw, i) => raw / t.embed.wall[i]!));
  console.log(
    `  embed()/raw throughput ratio: ${ratio.toFixed(3)}  (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? "met" : "NOT met"}; ` +
      `90% interval of the rounds' median ratio ${low.toFixed(3)}–${high.toFixed(3)}${low >= TARGET_RATIO === high >= TARGET_RATIO ? "" : `, which spans ${TARGET_RATIO}`}); ` +
      `one batch per call: ${(rawMs / slicesMs).toFixed(3)}`,
  );
  console.log(`  load average (1 min) at the end: ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores`);
}
console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await embedder.close?.();
