/**
 * npm run bench:llm — tokens/s and time to first token through our server against node-llama-cpp
 * called directly, with the same model, prompt and settings.
 *  1. threads: a short direct run per setting (capped, since oversubscribed threads can crawl);
 *  2. overhead: the server runs as a child process (as `npm start` runs it) and is read with our
 *     client; node-llama-cpp runs directly in a child process of its own (tools/bench/llm/direct.ts),
 *     so both sides start alike; runs alternate between the sides so load from other processes hits
 *     both alike, and each round starts both processes afresh (see overheadRound).
 * Flags: --rounds N (default 10: fresh processes and model loads each side)  --runs N (pairs per round, default 3)
 *        --warmups N (unmeasured runs each side per round, default 1)  --max-tokens N (default 256)  --threads 1,2 (settings to probe)
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { getEnv } from "@/lib/env";
import { bootstrapMedianInterval, median } from "@/tools/bench/stats";
import { createOpenAiChatModel } from "@/lib/llm/client";
import { resolveGenerationModelPath } from "@/llm-server";
import { spawnLlmServer } from "@/llm-server/spawn";
import { BENCH_MESSAGES as messages, directRunner, type BenchSample as Sample } from "@/test/support/llm/direct-runner";
import { defaultManifestPath, loadManifest } from "@/lib/models/manifest";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const PROBE_TOKENS = 64;
const PROBE_CAP_MS = 15_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      rounds: { type: "string", default: "10" },
      warmups: { type: "string", default: "1" },
      "max-tokens": { type: "string", default: "256" },
      threads: { type: "string", default: "1,2" },
    },
  });
  const runs = Number(values.runs);
  const rounds = Number(values.rounds);
  const warmups = Number(values.warmups);
  const maxTokens = Number(values["max-tokens"]);
  const env = getEnv();
  const manifestFile = defaultManifestPath(env);
  const model = resolveGenerationModelPath({
    modelPath: env.LLM_MODEL_PATH,
    manifest: env.LLM_MODEL_PATH ? undefined : loadManifest(manifestFile),
    manifestDir: path.dirname(manifestFile),
  });
  const contextSize = env.LLM_CONTEXT_SIZE;
  console.log(`model ${model.id} (${model.path}), temperature 0, medians after one warm-up`);

  console.log(`\n1. threads (direct, ${PROBE_TOKENS} tokens x 3, cap ${PROBE_CAP_MS / 1000} s a run)`);
  let best = { threads: env.LLM_THREADS, rate: 0 };
  for (const threads of values.threads.split(",").map(Number)) {
    const direct = await directRunner(model.path, threads, contextSize);
    const samples: Sample[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const sample = await direct.run(PROBE_TOKENS, AbortSignal.timeout(PROBE_CAP_MS));
        if (i > 0) samples.push(sample);
      }
      const r = rate(medianSample(samples));
      console.log(`  threads=${threads}: ${r.toFixed(1)} tokens/s`);
      if (r > best.rate) best = { threads, rate: r };
    } catch {
      console.log(`  threads=${threads}: slower than ${PROBE_TOKENS} tokens in ${PROBE_CAP_MS / 1000} s (threads spinning for too few free cores)`);
    } finally {
      await direct.close();
    }
  }
  console.log(`  fastest: threads=${best.threads}; LLM_THREADS is ${env.LLM_THREADS}${best.threads === env.LLM_THREADS ? "" : " (consider changing it)"}`);

  const threads = best.threads;
  console.log(
    `\n2. overhead at threads=${threads}: ${rounds} rounds (a fresh model load each side) ` +
      `x ${runs} runs of ${maxTokens} tokens each way`,
  );
  const samples = { direct: [] as Sample[], server: [] as Sample[] };
  // CPU time separates our overhead from waiting for cores that other processes hold.
  const cpu = { direct: 0, server: 0, client: 0 };
  const loadBefore = loadavg()[0]!;
  const roundRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = samples.direct.length;
    await overheadRound({ modelPath: model.path, modelId: model.id, threads, contextSize, runs, warmups, maxTokens }, samples, cpu, round === 0);
    const direct = samples.direct.slice(before);
    const server = samples.server.slice(before);
    roundRatios.push(rate(medianSample(server)) / rate(medianSample(direct)));
    console.log(
      `  round ${round + 1}: direct ${rate(medianSample(direct)).toFixed(1)}, server ${rate(medianSample(server)).toFixed(1)} tokens/s median; ` +
        `ratio ${roundRatios.at(-1)!.toFixed(3)}`,
    );
  }
  const tokens = rounds * runs * maxTokens;
  print(samples.direct, samples.server, roundRatios);
  // Other processes on the cores make wall-clock figures noisy; the load average says how noisy.
  console.log(`  load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after (the model itself adds about 1)`);
  console.log(
    `  CPU per token: direct ${(cpu.direct / tokens).toFixed(3)} ms; server process ${(cpu.server / tokens).toFixed(3)} ms ` +
      `(${((cpu.server / cpu.direct - 1) * 100).toFixed(1)}% vs direct); our client ${(cpu.client / tokens).toFixed(3)} ms`,
  );
}

interface RoundSettings {
  modelPath: string;
  modelId: string;
  threads: number;
  contextSize: number;
  runs: number;
  warmups: number;
  maxTokens: number;
}

/**
 * One direct process against one server process, `runs` alternating pairs. Each model load lands
 * its buffers at other addresses, which alone moves a tiny model's speed for the life of the load,
 * so every round starts both processes afresh and draws again on both sides. Both are fresh
 * processes started the same way (a long-lived direct side would run with a warmer JIT), so what
 * differs is only HTTP, SSE and our client.
 */
async function overheadRound(
  settings: RoundSettings,
  samples: { direct: Sample[]; server: Sample[] },
  cpu: { direct: number; server: number; client: number },
  describe: boolean,
): Promise<void> {
  const { maxTokens } = settings;
  const [direct, server] = await Promise.all([
    spawnDirect(settings),
    spawnLlmServer({
      repoRoot,
      args: ["--model-path", settings.modelPath, "--port", "0", "--threads", String(settings.threads)],
    }),
  ]);
  const client = createOpenAiChatModel({ baseUrl: `${server.url}/v1`, model: settings.modelId, firstTokenTimeoutMs: 60_000, totalTimeoutMs: 600_000 });
  try {
    if (describe) {
      // The server holds LLM_PARALLEL sequences in its context so requests can run side by side; the
      // direct baseline keeps one, the fastest case. With one request at a time they cost the same.
      const health = (await (await fetch(`${server.url}/health`)).json()) as { slots: { total: number } };
      console.log(`  server: ${health.slots.total} sequence(s) per context (LLM_PARALLEL); direct: 1`);
    }
    const viaServer = async (): Promise<Sample> => {
      const start = performance.now();
      let first = 0;
      for await (const event of client.stream(messages, { maxTokens, temperature: 0 })) {
        if (event.type === "token" && first === 0) first = performance.now();
        if (event.type === "done") return { ttftMs: first - start, tokens: event.result.usage.completionTokens, totalMs: performance.now() - start };
      }
      throw new Error("stream ended without a result");
    };
    const timed = async (side: "direct" | "server", run: () => Promise<Sample>): Promise<Sample> => {
      const own = process.cpuUsage();
      const pid = side === "direct" ? direct.pid : server.child.pid;
      const child = childCpuMs(pid);
      const result = await run();
      const used = process.cpuUsage(own);
      cpu[side] += childCpuMs(pid) - child;
      if (side === "server") cpu.client += (used.user + used.system) / 1000;
      return result;
    };
    for (let i = 0; i < settings.warmups; i++) {
      await direct.run(maxTokens);
      await viaServer();
    }
    for (let i = 0; i < settings.runs; i++) {
      // Alternate which side goes first, so neither always follows the other.
      const order: ("direct" | "server")[] = i % 2 === 0 ? ["direct", "server"] : ["server", "direct"];
      for (const side of order) {
        if (side === "direct") samples.direct.push(await timed("direct", () => direct.run(maxTokens)));
        else samples.server.push(await timed("server", viaServer));
      }
    }
  } finally {
    await Promise.all([server.close(), direct.close()]);
  }
}

/** tools/bench/llm/direct.ts as a child process: run() asks it for one generation and reads back its own timing. */
async function spawnDirect(settings: RoundSettings) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "tools/bench/llm/direct.ts"), "--model-path", settings.modelPath, "--threads", String(settings.threads), "--context-size", String(settings.contextSize)],
    { cwd: repoRoot, stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await Promise.race([lines.next(), exited.then(() => ({ done: true, value: undefined }))]);
    if (line.done) throw new Error("the direct benchmark process exited early");
    return String(line.value);
  };
  if ((await next()) !== "ready") throw new Error("the direct benchmark process did not start");
  return {
    pid: child.pid,
    async run(maxTokens: number): Promise<Sample> {
      child.stdin.write(`run ${maxTokens}\n`);
      return JSON.parse(await next()) as Sample;
    },
    async close(): Promise<void> {
      child.stdin.end();
      await exited;
    },
  };
}

/** User+system CPU of another process from /proc (Linux), in ms; NaN elsewhere. */
function childCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function rate(s: Sample): number {
  return s.tokens / (s.totalMs / 1000);
}

/** Each field's median over the runs (so the fields may come from different runs). */
function medianSample(samples: Sample[]): Sample {
  return { ttftMs: median(samples.map((s) => s.ttftMs)), tokens: median(samples.map((s) => s.tokens)), totalMs: median(samples.map((s) => s.totalMs)) };
}

function print(directRuns: Sample[], serverRuns: Sample[], roundRatios: number[]): void {
  const line = (name: string, runs: Sample[]) => {
    const m = medianSample(runs);
    const best = Math.max(...runs.map(rate));
    return `  ${name}: ${rate(m).toFixed(1)} tokens/s median (best ${best.toFixed(1)}), first token ${m.ttftMs.toFixed(1)} ms median`;
  };
  console.log(line("direct node-llama-cpp", directRuns));
  console.log(line("our server + client  ", serverRuns));
  const [direct, server] = [medianSample(directRuns), medianSample(serverRuns)];
  // Each round is one independent draw of both sides' model loads (see overheadRound), whose luck
  // moves the speed more than our overhead does; the median over the rounds' ratios is judged.
  const sorted = [...roundRatios].sort((a, b) => a - b);
  const overhead = (1 - median(roundRatios)) * 100;
  // The rounds' spread makes one run's verdict uncertain; say how uncertain (bootstrap over the rounds).
  const [low, high] = bootstrapMedianInterval(roundRatios).map((r) => (1 - r) * 100) as [number, number];
  console.log(`  tokens/s ratio server/direct: ${(rate(server) / rate(direct)).toFixed(3)} over all runs; per round ${sorted.map((r) => r.toFixed(3)).join(" ")}`);
  console.log(
    `  overhead ${overhead.toFixed(1)}% (median of the rounds' ratios; 90% interval ${high.toFixed(1)}% to ${low.toFixed(1)}%, ` +
      `bootstrap over rounds; target <= 5%: ${overhead <= 5 ? "met" : "NOT met"}${low > 5 === high > 5 ? "" : ", but the interval spans 5%: more --rounds would tell"})`,
  );
  console.log(`  first-token ratio ${(server.ttftMs / direct.ttftMs).toFixed(2)} (+${(server.ttftMs - direct.ttftMs).toFixed(1)} ms)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
