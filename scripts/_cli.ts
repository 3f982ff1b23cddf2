/** Shared plumbing for command-line tools: settings, logs on stderr, the database, clean exits. */
import { makeDataFolderPrivate } from "@/lib/runtime/data-folder";
import { connectDatabase, type ProcessDatabase } from "@/db/connection";
import { applyNativeSettings, getEnv, type Env } from "@/lib/env";

export const cliLog = {
  info: (m: string) => process.stderr.write(`${m}\n`),
  warn: (m: string) => process.stderr.write(`warning: ${m}\n`),
};

export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

/**
 * Native libraries (LanceDB) read some settings from the process environment when they
 * start; a tool sets them (from its validated settings) before anything uses them.
 * Kept async so tools that once restarted themselves for this need not change.
 */
export function startWithNativeSettings(): Promise<void> {
  applyNativeSettings(loadEnvOrExit());
  return Promise.resolve();
}

/** Runs `work` with the data folder's database, releasing it however the process ends. */
export async function withDatabase<T>(work: (db: ProcessDatabase, env: Env) => Promise<T>): Promise<T> {
  const env = loadEnvOrExit();
  makeDataFolderPrivate(env.dataDir);
  const db = await connectDatabase(env, cliLog);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await db.close().catch((e) => cliLog.warn(`closing the database: ${(e as Error).message}`));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void close().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await work(db, env);
  } finally {
    await close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Reads `--name value` flags; positional arguments are returned in `_`. */
export function parseArgs(argv: string[]): { _: string[]; flags: Record<string, string | true> } {
  const out: { _: string[]; flags: Record<string, string | true> } = { _: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) out.flags[name] = inline;
      else if (next !== undefined && !next.startsWith("--")) {
        out.flags[name] = next;
        i++;
      } else out.flags[name] = true;
    } else out._.push(arg);
  }
  return out;
}
