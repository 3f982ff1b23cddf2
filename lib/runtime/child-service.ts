/** A supervised child process: started with spawn, stopped with SIGTERM, then SIGKILL. */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import type { RunningService, Service } from "./supervisor";

export interface ChildServiceOptions {
  name: string;
  essential: boolean;
  command: string;
  args: readonly string[];
  spawn: SpawnOptions;
  /** Called with each new process, e.g. to keep its pid for a status line. */
  onStart?: (child: ChildProcess) => void;
}

export function childService(options: ChildServiceOptions): Service {
  return {
    name: options.name,
    essential: options.essential,
    async start() {
      const child = spawn(options.command, options.args, options.spawn);
      // Registered at once, so an early death is not missed.
      const exited = new Promise<string>((resolve) => {
        child.once("exit", (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited (code ${code})`));
      });
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
      options.onStart?.(child);
      return { exited, stop: (graceMs) => stopChild(child, exited, graceMs) } satisfies RunningService;
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<string>, graceMs: number): Promise<void> {
  // A child that died of a signal has signalCode set and exitCode null.
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(force);
}
