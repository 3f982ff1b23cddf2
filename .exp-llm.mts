import { getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";
import { loadLlamaEngine, toChatHistory } from "@/lib/llm/server/engine";
import { startLlmServer } from "@/lib/llm/server";
import { createOpenAiChatModel } from "@/lib/llm/client";
const modelPath = "/work/shared/models/stories260K.gguf";
const messages = [{ role: "user" as const, content: "Tell me a story about a little fox." }];
const N = 256;
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const ctx = await model.createContext({ sequences: 1, contextSize: 2048, threads: 1 });
const chat = new LlamaChat({ contextSequence: ctx.getSequence() });
const engine = await loadLlamaEngine({ modelPath, modelId: "m", threads: 1, contextSize: 2048, parallel: 1 });
const server = await startLlmServer({ modelPath, modelId: "m", port: 0, threads: 1, contextSize: 2048, parallel: 1, queueMax: 1, defaultMaxTokens: N });
const client = createOpenAiChatModel({ baseUrl: server.url + "/v1", model: "m", firstTokenTimeoutMs: 60000, totalTimeoutMs: 60000 });
const modes: Record<string, () => Promise<void>> = {
  direct: async () => { await chat.generateResponse(toChatHistory(messages), { maxTokens: N, temperature: 0, onToken: () => {}, onTextChunk: () => {} }); },
  engine: async () => { await engine.generate(0, { messages, maxTokens: N, temperature: 0, stop: [] }, () => {}, new AbortController().signal); },
  rawHttp: async () => { const r = await fetch(server.url + "/v1/chat/completions", { method: "POST", body: JSON.stringify({ messages, max_tokens: N, temperature: 0, stream: true }) }); for await (const _ of r.body!) {} },
  client: async () => { for await (const _ of client.stream(messages, { maxTokens: N, temperature: 0 })) {} },
};
const times: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let round = 0; round < 8; round++) for (const [name, fn] of Object.entries(modes)) { const c = process.cpuUsage(); const t = performance.now(); await fn(); const d = process.cpuUsage(c); if (round > 0) { (times[name] ??= []).push(performance.now() - t); (cpu[name] ??= []).push((d.user + d.system) / 1000); } }
for (const [name, xs] of Object.entries(cpu)) { xs.sort((a, b) => a - b); console.log(name.padEnd(8), "cpu ms median", xs[Math.floor(xs.length / 2)]!.toFixed(1), "min", xs[0]!.toFixed(1)); }
for (const [name, xs] of Object.entries(times)) { xs.sort((a, b) => a - b); console.log(name.padEnd(8), "median ms", xs[Math.floor(xs.length / 2)]!.toFixed(1), "tok/s", (N / xs[Math.floor(xs.length / 2)]! * 1000).toFixed(0), xs.map(x => x.toFixed(0)).join(",")); }
await server.close(); await engine.close(); await llama.dispose();
