/**
 * Starts the two-server deployment (config.ts) and stops it afterwards. Server A starts first and
 * migrates; B then joins the same database and stores. Users are added with the operator's CLI.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { acquireEmbeddedPostgres } from "../db/runtime/embedded";
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
  const name = `vouch_scale_${crypto.randomBytes(4).toString("hex")}`;
  const external = process.env.VOUCH_TEST_DATABASE_URL;
  const server = external ? { url: external, release: async () => {} } : await acquireEmbeddedPostgres(path.join(SCALE.dir, "postgres"), { info: () => {}, warn: (m) => process.stderr.write(`${m}\n`) });
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  return {
    url: server.url.replace(/\/[^/]+$/, `/${name}`),
    release: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
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
    const r = spawnSync(process.execPath, [tsx, path.join(root, "scripts/user-add.ts"), "--email", user.email, "--role", role, "--name", `Scale ${role}`], {
      cwd: root,
      input: `${user.password}\n`,
      encoding: "utf8",
      env: { ...process.env, ...SCALE.env("a", db.url), LOG_LEVEL: "silent" },
    });
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
