/**
 * npm start — everything a zero-configuration start needs, in order: settings,
 * database (embedded unless DATABASE_URL), migrations, first users, models,
 * the web app build, then the web server. Stops it all cleanly on exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAuthSecret } from "@/lib/auth/secret";
import { childProcessEnv } from "@/lib/env";
import { ensureAppBuilt } from "@/lib/runtime/build";
import { assertPortFree } from "@/lib/runtime/port";
import { formatDemoCredentials, seedUsers } from "@/lib/users/seed";
import { connectDatabase } from "@/db/connection";
import { cliLog, loadEnvOrExit } from "./_cli";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = loadEnvOrExit();
const children: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`\n${message}`);
  process.exit(1);
}

try {
  await assertPortFree(env.PORT, env.HOST);
} catch (error) {
  fail((error as Error).message);
}

// Build first: a failed build must not swallow the one-time demo credentials printed below.
try {
  ensureAppBuilt(root, cliLog.info);
} catch (error) {
  fail((error as Error).message);
}

const db = await connectDatabase(env, cliLog).catch((error: Error) => fail(`Could not open the database: ${error.message}`));
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
  await db.close().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));

try {
  const seeded = await seedUsers(db.db, env);
  if (seeded.createdAdmin) cliLog.info(`Created the first admin, ${seeded.createdAdmin}.`);
  if (seeded.demoUsers?.length) console.log(formatDemoCredentials(seeded.demoUsers));
} catch (error) {
  await db.close().catch(() => {});
  fail((error as Error).message);
}

const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const web = spawn(process.execPath, [nextBin, "start", "-p", String(env.PORT), "-H", env.HOST], {
  cwd: root,
  stdio: "inherit",
  env: childProcessEnv({ NEXTAUTH_URL: env.appUrl, AUTH_SECRET: loadAuthSecret(env), DATA_DIR: env.dataDir, NODE_ENV: "production" }),
});
children.push(web);
web.once("exit", (code) => {
  if (!stopping) cliLog.warn(`The web server exited (code ${code}).`);
  void shutdown(code ?? 1);
});
cliLog.info(`Vouch is starting at ${env.appUrl} (${db.kind} database).`);
