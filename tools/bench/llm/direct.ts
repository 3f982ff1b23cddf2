/**
 * The direct side of `npm run bench:llm` as a process of its own, so that it
 * starts fresh each round exactly as the server does (same loader, same cold
 * JIT, same kind of model load). Not meant to be run by hand.
 * Args: --model-path FILE --threads N --context-size N. Prints "ready", then
 * answers each stdin line "run <maxTokens>" with one JSON BenchSample line.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { directRunner } from "@/test/support/llm/direct-runner";

const { values } = parseArgs({
  options: { "model-path": { type: "string" }, threads: { type: "string" }, "context-size": { type: "string" } },
});
const runner = await directRunner(values["model-path"] ?? "", Number(values.threads), Number(values["context-size"]));
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(" ");
  if (command !== "run") break;
  console.log(JSON.stringify(await runner.run(Number(arg))));
}
await runner.close();
