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
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { loadSampleKnowledgeBase } from "@/ingest/sample";
import { loadModelConfig, modelStartReport } from "@/lib/models/startup";
import { defaultManifestPath } from "@/lib/models/manifest";
import { connectDatabase } from "@/db/connection";
import { cliLog, loadEnvOrExit } from "./_cli";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = loadEnvOrExit();
const children: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`\n${message}`);
  process.exit(1);
}

// A malformed model manifest (or policy setting) stops the start here, naming the line and field at fault.
const manifestFile = defaultManifestPath(env);
let models: ReturnType<typeof loadModelConfig>;
try {
  models = loadModelConfig(manifestFile, env);
} catch (error) {
  fail((error as Error).message);
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
  if (seeded.demoUsers?.length) {
    console.log(formatDemoCredentials(seeded.demoUsers));
    const sample = await loadSampleKnowledgeBase(db.db, { filesDir: env.filesDir, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024 });
    cliLog.info(`Demo mode: queued ${sample.filter((r) => r.documentId).length} sample documents into the "Support handbook" knowledge base.`);
  }
  if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, cliLog.info);
} catch (error) {
  await db.close().catch(() => {});
  fail((error as Error).message);
}

// A refused role does not stop the start: an admin fixes the policy or approves the model in Admin › Models.
let refusedAdapters: string[] = [];
try {
  const served = [
    ...(env.LLM_BASE_URL && env.LLM_MODEL ? [{ role: "generation" as const, name: env.LLM_MODEL, where: `the LLM server at ${env.LLM_BASE_URL}` }] : []),
    ...(env.EMBEDDINGS_BASE_URL && env.EMBEDDINGS_MODEL
      ? [{ role: "embedding" as const, name: env.EMBEDDINGS_MODEL, where: `the embeddings server at ${env.EMBEDDINGS_BASE_URL}` }]
      : []),
  ];
  const report = await modelStartReport(db.db, { ...models, manifestFile, served });
  for (const line of report.lines) cliLog.info(line);
  refusedAdapters = report.refusedAdapters;
} catch (error) {
  cliLog.warn(`Could not check the models: ${(error as Error).message}`);
}

const childEnv = childProcessEnv({ NEXTAUTH_URL: env.appUrl, AUTH_SECRET: loadAuthSecret(env), DATA_DIR: env.dataDir, NODE_ENV: "production" });
/** A child process; when a vital one exits on its own, everything stops. */
function launch(name: string, args: string[], vital = true) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: vital ? "inherit" : ["pipe", "inherit", "inherit"], env: childEnv });
  children.push(child);
  child.once("exit", (code) => {
    if (stopping) return;
    if (vital) {
      cliLog.warn(`The ${name} exited (code ${code}).`);
      void shutdown(code ?? 1);
    } else cliLog.warn(`The ${name} exited (code ${code}); answers will show the matching passages until it runs again. /api/health (signed in as an admin) says why.`);
  });
}
// `node --import tsx`, not the tsx CLI: the CLI relays signals through a second process and may
// SIGKILL its child within 30 ms, before the child has released the shared database.
const tsx = ["--import", "tsx"];
launch("ingest worker", [...tsx, path.join(root, "scripts", "worker.ts"), "--reconcile"]);
// The local model server, unless the app is pointed at another OpenAI-compatible server.
// Adapters the policy refuses are not loaded at all (chat also refuses generation while one is enabled).
const skip = refusedAdapters.length ? ["--skip-adapters", refusedAdapters.join(",")] : [];
if (!env.LLM_BASE_URL) launch("local model server", [...tsx, path.join(root, "llm-server", "main.ts"), ...skip], false);
launch("web server", [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(env.PORT), "-H", env.HOST]);
cliLog.info(`Vouch is starting at ${env.appUrl} (${db.kind} database).`);
