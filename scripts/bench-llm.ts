/**
 * npm run bench:llm — tokens/s and time to first token through our server (HTTP + SSE + our
 * client) against node-llama-cpp called directly in-process: same model, prompt and settings.
 * Runs alternate between the two so load from other processes hits both alike.
 *   --runs N (default 5)  --max-tokens N (default 256)  --threads 1,2 (default 1,2)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";
import { getEnv } from "@/lib/env";
import { createOpenAiChatModel } from "@/lib/llm/client";
import { toChatHistory } from "@/lib/llm/server/engine";
import { resolveGenerationModelPath, startLlmServer } from "@/lib/llm/server";
import type { ChatMessage } from "@/lib/llm/types";
import { defaultManifestPath, loadManifest } from "@/lib/models/manifest";

interface Sample {
  ttftMs: number;
  tokens: number;
  totalMs: number;
}

const messages: ChatMessage[] = [
  { role: "system", content: "You are a storyteller who writes short stories for children." },
  { role: "user", content: "Tell me a story about a little fox who finds a shiny stone in the forest." },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, "max-tokens": { type: "string", default: "256" }, threads: { type: "string", default: "1,2" } } });
  const runs = Number(values.runs);
  const maxTokens = Number(values["max-tokens"]);
  const threadOptions = values.threads.split(",").map(Number);
  const env = getEnv();
  const manifestFile = defaultManifestPath(env);
  const model = resolveGenerationModelPath({
    modelPath: env.LLM_MODEL_PATH,
    manifest: env.LLM_MODEL_PATH ? undefined : loadManifest(manifestFile),
    manifestDir: path.dirname(manifestFile),
  });
  console.log(`model ${model.id} (${model.path}); ${runs} runs of ${maxTokens} tokens, temperature 0, after one warm-up each`);

  const summary: { threads: number; direct: Sample; server: Sample }[] = [];
  for (const threads of threadOptions) {
    const direct = await directRunner(model.path, threads, env.LLM_CONTEXT_SIZE);
    const server = await startLlmServer({
      modelPath: model.path,
      modelId: model.id,
      adapters: model.adapters,
      port: 0,
      threads,
      contextSize: env.LLM_CONTEXT_SIZE,
      parallel: 1,
      queueMax: 1,
      defaultMaxTokens: maxTokens,
    });
    const client = createOpenAiChatModel({ baseUrl: `${server.url}/v1`, model: model.id, firstTokenTimeoutMs: 60_000, totalTimeoutMs: 600_000 });
    const viaServer = async (): Promise<Sample> => {
      const start = performance.now();
      let first = 0;
      for await (const event of client.stream(messages, { maxTokens, temperature: 0 })) {
        if (event.type === "token" && first === 0) first = performance.now();
        if (event.type === "done") return { ttftMs: first - start, tokens: event.result.usage.completionTokens, totalMs: performance.now() - start };
      }
      throw new Error("stream ended without a result");
    };
    const samples = { direct: [] as Sample[], server: [] as Sample[] };
    await direct.run(maxTokens);
    await viaServer();
    for (let i = 0; i < runs; i++) {
      // Alternate the order too, so neither side always runs right after the other.
      if (i % 2 === 0) {
        samples.direct.push(await direct.run(maxTokens));
        samples.server.push(await viaServer());
      } else {
        samples.server.push(await viaServer());
        samples.direct.push(await direct.run(maxTokens));
      }
    }
    await server.close();
    await direct.close();
    const row = { threads, direct: median(samples.direct), server: median(samples.server) };
    summary.push(row);
    print(row);
  }

  const fastest = summary.reduce((a, b) => (rate(b.direct) > rate(a.direct) ? b : a));
  console.log(`\nfastest: threads=${fastest.threads} (${rate(fastest.direct).toFixed(0)} tokens/s direct); LLM_THREADS is ${env.LLM_THREADS}`);
}

async function directRunner(modelPath: string, threads: number, contextSize: number) {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ sequences: 1, contextSize: Math.min(contextSize, model.trainContextSize), threads });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  return {
    async run(maxTokens: number): Promise<Sample> {
      const start = performance.now();
      let first = 0;
      let tokens = 0;
      await chat.generateResponse(toChatHistory(messages), {
        maxTokens,
        temperature: 0,
        onToken: (t) => (tokens += t.length),
        onTextChunk: (text) => {
          if (text !== "" && first === 0) first = performance.now();
        },
      });
      return { ttftMs: first - start, tokens, totalMs: performance.now() - start };
    },
    close: () => llama.dispose(),
  };
}

function rate(s: Sample): number {
  return s.tokens / (s.totalMs / 1000);
}

function median(samples: Sample[]): Sample {
  const mid = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? NaN;
  };
  return { ttftMs: mid(samples.map((s) => s.ttftMs)), tokens: mid(samples.map((s) => s.tokens)), totalMs: mid(samples.map((s) => s.totalMs)) };
}

function print({ threads, direct, server }: { threads: number; direct: Sample; server: Sample }): void {
  const ratio = rate(server) / rate(direct);
  console.log(`\nthreads=${threads} (medians)`);
  console.log(`  direct node-llama-cpp : ${rate(direct).toFixed(1)} tokens/s, first token ${direct.ttftMs.toFixed(1)} ms, ${direct.tokens} tokens`);
  console.log(`  via our server+client : ${rate(server).toFixed(1)} tokens/s, first token ${server.ttftMs.toFixed(1)} ms, ${server.tokens} tokens`);
  console.log(
    `  server/direct tokens/s ratio ${ratio.toFixed(3)} (overhead ${((1 - ratio) * 100).toFixed(1)}%, target <= 5%: ${1 - ratio <= 0.05 ? "met" : "NOT met"}); ` +
      `first-token ratio ${(server.ttftMs / direct.ttftMs).toFixed(2)} (+${(server.ttftMs - direct.ttftMs).toFixed(1)} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
