/**
 * Starts the two-server deployment (config.ts) and stops it afterwards. Server A starts first and
 * migrates; B then joins the same database and stores. Users are added with the operator's CLI.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { acquireEmbeddedPostgres } from "../db/runtime/embedded";
import { createDatabaseOn } from "../test/support/database-server";
import { runScript } from "../e2e/fixtures/cli";
import { SCALE, type ScaleState } from "./config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");

async function waitHealthy(server: "a" | "b", child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server ${server} exited (${child.exitCode}):\n${log().slice(-3000)}`);
    const ok = await fetch(`${SCALE.url(server)}/api/health?component=database`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server ${server} did not become healthy:\n${log().slice(-3000)}`);
}

function startServer(server: "a" | "b", databaseUrl: string): { child: ChildProcess; log: () => string } {
  let out = "";
  const child = spawn(process.execPath, [tsx, path.join(root, "scripts/start.ts")], { cwd: root, env: { ...process.env, ...SCALE.env(server, databaseUrl) }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return { child, log: () => out };
}

async function database(): Promise<{ url: string; release(): Promise<void> }> {
  const external = process.env.VOUCH_TEST_DATABASE_URL;
  const server = external ? { url: external, release: async () => {} } : await acquireEmbeddedPostgres(path.join(SCALE.dir, "postgres"), { info: () => {}, warn: (m) => process.stderr.write(`${m}\n`) });
  const scratch = await createDatabaseOn(server.url, `vouch_scale_${crypto.randomBytes(4).toString("hex")}`);
  return {
    url: scratch.url,
    release: async () => {
      await scratch.drop().catch(() => {});
      await server.release();
    },
  };
}

export default async function globalSetup() {
  fs.rmSync(SCALE.dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(SCALE.dir, "shared"), { recursive: true });
  fs.chmodSync(SCALE.dir, 0o755); // an embedded PostgreSQL runs as the postgres user when we are root
  const db = await database();
  const a = startServer("a", db.url);
  await waitHealthy("a", a.child, a.log);
  const b = startServer("b", db.url);
  await waitHealthy("b", b.child, b.log);
  for (const [role, user] of [["reviewer", SCALE.reviewer], ["agent", SCALE.agent]] as const) {
    const r = runScript("user-add.ts", ["--email", user.email, "--role", role, "--name", `Scale ${role}`], `${user.password}\n`, SCALE.env("a", db.url));
    if (r.status !== 0) throw new Error(`user:add failed: ${r.stderr}`);
  }
  const state: ScaleState = { databaseUrl: db.url, pids: { a: a.child.pid!, b: b.child.pid! } };
  fs.writeFileSync(SCALE.stateFile, JSON.stringify(state));
  // A process ended by a signal (the test kills server B) has a signalCode and no exitCode.
  const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  return async () => {
    const live = [a, b].map(({ child }) => child).filter(running);
    const exited = Promise.all(live.map((child) => new Promise((r) => child.once("exit", r))));
    for (const child of live) child.kill("SIGTERM");
    await exited;
    await db.release();
    fs.rmSync(SCALE.dir, { recursive: true, force: true });
  };
}
