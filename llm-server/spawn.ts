import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface SpawnLlmServerOptions {
  /** Repository root holding llm-server/main.ts. */
  repoRoot: string;
  /** Flags for llm-serve (--port, --model-path, --threads); everything else comes from the inherited environment. */
  args?: string[];
  /** Give up waiting for the ready line after this long (default 120 s: big models load slowly). */
  readyTimeoutMs?: number;
  /** Settings laid over this process's environment for the child (e.g. DATA_DIR, MODELS_DIR). */
  env?: Record<string, string>;
  /** Where the child's stderr lines go (default: dropped after the ready line, kept for error messages before it). */
  onStderr?: (line: string) => void;
}

export interface SpawnedLlmServer {
  /** e.g. http://127.0.0.1:8081; the OpenAI base URL is `${url}/v1`. */
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s. */
  close(): Promise<void>;
}

const READY = /^LLM server listening on (http:\/\/\S+)$/m;

/**
 * Runs `llm-server/main.ts` as a child process and resolves once it prints its ready line.
 * Rejects with the child's own one-line error when it exits first (missing or corrupt model).
 * The child gets a stdin pipe, so it also exits if this process dies without closing it.
 */
export function spawnLlmServer(options: SpawnLlmServerOptions): Promise<SpawnedLlmServer> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(options.repoRoot, "llm-server/main.ts"), ...(options.args ?? [])], {
    cwd: options.repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    let stdout = "";
    const errors: string[] = [];
    let ready = false;
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`The LLM server did not start within ${options.readyTimeoutMs ?? 120_000} ms.`));
    }, options.readyTimeoutMs ?? 120_000);
    child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
        options.onStderr?.(line);
        if (!ready) errors.push(line);
      }
    });
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const match = READY.exec(stdout);
      if (!match || ready) return;
      ready = true;
      clearTimeout(timer);
      resolve({ url: match[1]!, child, close });
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      const reason = errors.filter((l) => !/^npm warn/i.test(l)).at(-1) ?? "no message";
      reject(new Error(`The LLM server exited with code ${code} before it was ready: ${reason}`));
    });
  });
}
