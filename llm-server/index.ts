import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadLlamaEngine, type LlamaEngineOptions } from "./engine";
import { createLlmRequestHandler } from "./http";
import { SlotPool } from "./slot-pool";

export { ModelFileError } from "./gguf-check";
export { resolveGenerationModelPath, type ResolvedGenerationModel } from "./model-path";

export interface LlmServerOptions {
  modelPath: string;
  /** Id reported in /v1/models and responses; the manifest id when there is one. */
  modelId: string;
  /** LoRA adapters (id from the manifest) applied to every generation; see resolveGenerationModelPath. */
  adapters?: LlamaEngineOptions["adapters"];
  /** 0 picks a free port. */
  port: number;
  threads: number;
  contextSize: number;
  /** Generations running at once (context sequences). */
  parallel: number;
  /** Requests allowed to wait for a slot; more get 429. */
  queueMax: number;
  /** Answer length when a request sets no max_tokens. */
  defaultMaxTokens: number;
  gpu?: boolean;
  log?: (line: string) => void;
}

export interface RunningLlmServer {
  /** e.g. http://127.0.0.1:8081 (no trailing slash; the OpenAI base URL is `${url}/v1`). */
  url: string;
  modelId: string;
  close(): Promise<void>;
}

/** Loads the model and serves it on loopback; rejects with ModelFileError when the model cannot be used. */
export async function startLlmServer(options: LlmServerOptions): Promise<RunningLlmServer> {
  const engine = await loadLlamaEngine(options);
  const pool = new SlotPool(engine.slots, options.queueMax);
  const { handle } = createLlmRequestHandler({
    engine,
    pool,
    defaultMaxTokens: options.defaultMaxTokens,
    log: options.log,
  });
  const server = createServer({ noDelay: true }, handle);
  // Loopback only: this server has no authentication.
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, "127.0.0.1", () => resolve());
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    modelId: engine.modelId,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await engine.close();
      })();
      return closing;
    },
  };
}
