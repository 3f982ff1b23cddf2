/**
 * node-llama-cpp called directly, with the settings our server uses: the
 * baseline of `npm run bench:llm`. Kept beside the test helpers because only
 * benchmarks use it; the app always goes through the server.
 */
import { getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";
import { toChatHistory } from "@/llm-server/engine";
import type { ChatMessage } from "@/lib/llm/types";

/** One generation: time to the first text, tokens made, and the whole time. */
export interface BenchSample {
  ttftMs: number;
  tokens: number;
  totalMs: number;
}

/** The benchmark's prompt, the same on both sides. */
export const BENCH_MESSAGES: ChatMessage[] = [
  { role: "system", content: "You are a storyteller who writes short stories for children." },
  { role: "user", content: "Tell me a story about a little fox who finds a shiny stone in the forest." },
];

export interface DirectRunner {
  run(maxTokens: number, signal?: AbortSignal): Promise<BenchSample>;
  close(): Promise<void>;
}

/** Loads the model as the server's engine does (CPU, one sequence) and generates at temperature 0. */
export async function directRunner(modelPath: string, threads: number, contextSize: number): Promise<DirectRunner> {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ sequences: 1, contextSize: Math.min(contextSize, model.trainContextSize), threads });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  return {
    async run(maxTokens, signal) {
      const start = performance.now();
      let first = 0;
      let tokens = 0;
      await chat.generateResponse(toChatHistory(BENCH_MESSAGES), {
        maxTokens,
        temperature: 0,
        signal,
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
