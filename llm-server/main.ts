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
import { chosenLocalModel } from "@/lib/llm/active";
import { loadEffectiveManifest } from "@/lib/models/effective-manifest";
import { defaultManifestPath, type Manifest } from "@/lib/models/manifest";

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
  const skipAdapters = (flags["skip-adapters"] ?? "").split(",").filter((id) => id !== "");
  if (skipAdapters.length) console.error(`Not loading LoRA adapter(s) ${skipAdapters.join(", ")}: refused by the model policy.`);
  const serve = async (port: number) => {
    const chosen = chosenLocalModel(env.dataDir);
    const model = resolveGenerationModelPath({ modelPath: chosen ? undefined : env.LLM_MODEL_PATH, manifest: manifestFor(manifestFile, env), manifestDir: path.dirname(manifestFile), skipAdapters, chosen });
    const running = await startLlmServer({
      modelPath: model.path,
      modelId: model.id,
      adapters: model.adapters,
      port,
      threads: env.LLM_THREADS,
      contextSize: env.LLM_CONTEXT_SIZE,
      parallel: env.LLM_PARALLEL,
      queueMax: env.LLM_QUEUE_MAX,
      defaultMaxTokens: env.LLM_MAX_TOKENS,
      log: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" ? (line) => console.error(line) : undefined,
    });
    const adapters = model.adapters.length ? ` with LoRA ${model.adapters.map((a) => a.id).join(", ")}` : "";
    console.error(`Serving ${model.id} (${model.path})${adapters}`);
    return running;
  };
  let server = await serve(env.LLM_PORT);
  console.log(`LLM server listening on ${server.url}`);
  // An admin choosing another local model in Admin › Models: serve it on the same port.
  const port = Number(new URL(server.url).port);
  let choice = chosenLocal(env.dataDir);
  let switching = false;
  const follow = setInterval(() => {
    const now = chosenLocal(env.dataDir);
    if (switching || now === choice) return;
    choice = now;
    switching = true;
    void server
      .close()
      .then(() => serve(port))
      .then((next) => {
        server = next;
        switching = false;
        console.error("Switched to the model chosen in Admin › Models.");
      })
      .catch((error: Error) => {
        console.error(`llm-serve: ${error.message.split("\n").join(" ")}`);
        process.exit(1);
      });
  }, CHOICE_CHECK_MS);

  const stop = () => {
    clearInterval(follow);
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

/** How often the data folder is checked for a model an admin chose. */
const CHOICE_CHECK_MS = 3_000;

/** The committed manifest with what admins added and enabled; an explicit model path needs neither. */
function manifestFor(file: string, env: { dataDir: string; LLM_MODEL_PATH?: string }): Manifest | undefined {
  try {
    return loadEffectiveManifest(file, env.dataDir);
  } catch (error) {
    if (!env.LLM_MODEL_PATH) throw error;
    return undefined;
  }
}

/** The local model an admin chose ("" for none); a file being written is read again next time. */
function chosenLocal(dataDir: string): string {
  try {
    return chosenLocalModel(dataDir) ?? "";
  } catch {
    return "";
  }
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
