/**
 * Restarting a tool with the settings native libraries read from the environment it
 * started with. Kept apart from _cli.ts, with nothing heavy imported, so a tool can
 * restart itself before it loads the rest of the project (see scripts/ingest.ts).
 */
import { spawn } from "node:child_process";
import { childProcessEnv, getEnv, nativeSettingsInherited, type Env } from "@/lib/env";

export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

/**
 * Native libraries (LanceDB) read some settings only from the environment the process
 * started with. A tool started without them runs itself again as a child that has them,
 * relaying signals and its exit code, and resolves never; with them, it resolves at once.
 */
export function startWithNativeSettings(): Promise<void> {
  if (nativeSettingsInherited()) return Promise.resolve();
  loadEnvOrExit();
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: childProcessEnv() });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.once("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 143)));
  return new Promise(() => {});
}
