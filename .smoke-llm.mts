import { getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";
const threads = Number(process.argv[2]);
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: "/work/shared/models/stories260K.gguf" });
const ctx = await model.createContext({ sequences: 1, contextSize: 2048, threads });
const chat = new LlamaChat({ contextSequence: ctx.getSequence() });
console.log("threads", threads, ctx.currentThreads, ctx.idealThreads);
for (const n of [1, 8, 64, 256]) {
  const t = performance.now();
  await chat.generateResponse([{ type: "user", text: "Once upon a time" }, { type: "model", response: [] }], { maxTokens: n, temperature: 0 });
  console.log(n, "tokens", (performance.now() - t).toFixed(1), "ms");
}
await llama.dispose();
