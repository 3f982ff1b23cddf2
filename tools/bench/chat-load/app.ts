/** Vouch started the way a user starts it (`npm start`), on a throwaway data folder, for the load benchmark. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { writeShippedManifestWith } from "@/test/support/models";

const root = path.resolve(import.meta.dirname, "../../..");

export interface RunningApp {
  baseUrl: string;
  adminPassword: string;
  stop(): Promise<void>;
}

/** The shipped manifest (paths made absolute) plus an approved, self-hosted entry for the stand-in model server. */
export function writeManifest(dir: string, model: string): string {
  return writeShippedManifestWith(dir, [
    {
    id: "bench-writer",
    role: "generation",
    format: "remote",
    kind: "instruct",
    enabled: true,
    source: "./tools/bench/chat-load/model-server.ts",
    files: [],
    license: { id: "MIT" },
    permits: { commercialUse: true, modification: true, redistributionOfWeights: true, redistributionOfDerivatives: true },
    obligations: { attribution: null, useRestrictions: [] },
    locality: "any",
    served: { name: model, host: "self-hosted" },
    approval: { by: "bench@vouch.test", at: "2026-12-07T00:00:00Z" },
    card: { name: "Load benchmark stand-in", description: "A model server of fixed capacity.", intendedUse: "Benchmarks only." },
    },
  ]);
}

/** `demo: false`: a server joining a deployment another one seeded (no demo credentials to read). */
export async function startApp(env: Record<string, string>, port: number, { demo = true }: { demo?: boolean } = {}): Promise<RunningApp> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), LOG_LEVEL: "warn", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${err}`);
    const status = await fetch(`${baseUrl}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const adminPassword = /^\s+admin\s+\S+@demo\.vouch\s+(\S+)$/m.exec(out)?.[1] ?? (demo ? undefined : "");
  if (adminPassword === undefined) throw new Error(`no demo admin password in npm start's output:\n${out}\n${err}`);
  return {
    baseUrl,
    adminPassword,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}
