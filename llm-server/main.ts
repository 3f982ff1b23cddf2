/**
 * Runs the local OpenAI-compatible model server (npm run llm:serve). Prints
 * "LLM server listening on http://127.0.0.1:PORT" once ready, so a parent
 * process can wait for that line; a bad model prints one line and exits 1.
 * Flags: --port N (0 = any free port), --model-path FILE, --threads N,
 * --skip-adapters ID,ID (enabled LoRA adapters not to load; npm start passes those the model policy refuses).
 */
import { fstatSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnv } from "@/lib/env";
import { ModelFileError, resolveGenerationModelPath, startLlmServer } from "@/llm-server";
import { defaultManifestPath, loadManifest, type Manifest } from "@/lib/models/manifest";

async function main(): Promise<void> {
  // Flags override settings, so a parent can pick a port or model without touching the environment.
  const { values: flags } = parseArgs({
    options: {
      port: { type: "string" },
      "model-path": { type: "string" },
      threads: { type: "string" },
      "skip-adapters": { type: "string" },
    },
  });
  const base = getEnv();
  const env = {
    ...base,
    LLM_PORT: flags.port === undefined ? base.LLM_PORT : intFlag("--port", flags.port, 0),
    LLM_MODEL_PATH: flags["model-path"] ?? base.LLM_MODEL_PATH,
    LLM_THREADS: flags.threads === undefined ? base.LLM_THREADS : intFlag("--threads", flags.threads, 1),
  };
  const manifestFile = defaultManifestPath(env);
  let manifest: Manifest | undefined;
  try {
    manifest = loadManifest(manifestFile);
  } catch (error) {
    // An explicit model path does not need the manifest; without one it is required.
    if (!env.LLM_MODEL_PATH) throw error;
  }
  const skipAdapters = (flags["skip-adapters"] ?? "").split(",").filter((id) => id !== "");
  const model = resolveGenerationModelPath({ modelPath: env.LLM_MODEL_PATH, manifest, manifestDir: path.dirname(manifestFile), skipAdapters });
  if (skipAdapters.length) console.error(`Not loading LoRA adapter(s) ${skipAdapters.join(", ")}: refused by the model policy.`);
  const server = await startLlmServer({
    modelPath: model.path,
    modelId: model.id,
    adapters: model.adapters,
    port: env.LLM_PORT,
    threads: env.LLM_THREADS,
    contextSize: env.LLM_CONTEXT_SIZE,
    parallel: env.LLM_PARALLEL,
    queueMax: env.LLM_QUEUE_MAX,
    defaultMaxTokens: env.LLM_MAX_TOKENS,
    log: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" ? (line) => console.error(line) : undefined,
  });
  const adapters = model.adapters.length ? ` with LoRA ${model.adapters.map((a) => a.id).join(", ")}` : "";
  console.error(`Serving ${model.id} (${model.path})${adapters}`);
  console.log(`LLM server listening on ${server.url}`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Spawned with a stdin pipe, a parent that dies without signalling closes it; do not outlive the parent.
  const stdin = fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) process.stdin.on("end", stop).resume();
}

function intFlag(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 65535) throw new Error(`${flag} must be an integer from ${min}, got "${value}"`);
  return n;
}

// If the event loop ever drains before the server is up, say so and fail instead of exiting 0.
let started = false;
process.once("beforeExit", () => {
  if (started) return;
  console.error("llm-serve: stopped before the server was ready (no error was reported)");
  process.exit(1);
});

main().then(() => (started = true)).catch((error: unknown) => {
  const message = error instanceof ModelFileError || error instanceof Error ? error.message : String(error);
  console.error(`llm-serve: ${message.split("\n").join(" ")}`);
  process.exit(1);
});
