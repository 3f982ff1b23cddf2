/**
 * npm start — everything a zero-configuration start needs, in order: settings,
 * database (embedded unless DATABASE_URL), migrations, first users, models,
 * the web app build, then the database, ingest worker, model server and web
 * server under a supervisor that restarts whichever dies. SIGTERM or SIGINT
 * stops it all, the database last.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAuthSecret } from "@/lib/auth/secret";
import { childProcessEnv } from "@/lib/env";
import { ensureAppBuilt } from "@/lib/runtime/build";
import { assertPortFree } from "@/lib/runtime/port";
import { childService } from "@/lib/runtime/child-service";
import { makeDataFolderPrivate } from "@/lib/runtime/data-folder";
import { embeddedDatabaseService } from "@/lib/runtime/database-service";
import { createSupervisor } from "@/lib/runtime/supervisor";
import { formatDemoCredentials, seedUsers } from "@/lib/users/seed";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { loadSampleKnowledgeBase } from "@/ingest/sample";
import { loadModelConfig, modelStartReport } from "@/lib/models/startup";
import { defaultManifestPath } from "@/lib/models/manifest";
import { connectDatabase } from "@/db/connection";
import { cliLog, loadEnvOrExit } from "./_cli";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = loadEnvOrExit();

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

makeDataFolderPrivate(env.dataDir);
const db = await connectDatabase(env, cliLog).catch((error: Error) => fail(`Could not open the database: ${error.message}`));
const supervisor = createSupervisor({ log: cliLog });
// Until the supervisor runs the others, a signal only has the database to close.
const onSignal = (code: number) => () => void supervisor.stop(code);
process.on("SIGINT", onSignal(130));
process.on("SIGTERM", onSignal(143));
void supervisor.done.then(async (code) => {
  await db.close().catch(() => {});
  process.exit(code);
});

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
// `node --import tsx`, not the tsx CLI: the CLI relays signals through a second process and may
// SIGKILL its child within 30 ms, before the child has released the shared database.
const node = (name: string, essential: boolean, args: string[], stdin: "inherit" | "pipe" = "inherit") =>
  childService({ name, essential, command: process.execPath, args, spawn: { cwd: root, stdio: [stdin, "inherit", "inherit"], env: childEnv } });
const tsx = ["--import", "tsx"];
// Adapters the policy refuses are not loaded at all (chat also refuses generation while one is enabled).
const skip = refusedAdapters.length ? ["--skip-adapters", refusedAdapters.join(",")] : [];
const services = [
  // Watched and restarted like the others; it is already running, since the steps above needed it.
  ...(db.embeddedPort === undefined ? [] : [embeddedDatabaseService({ dataDir: env.dataDir, port: db.embeddedPort, log: cliLog })]),
  // Each start reconciles Postgres with the vector store, which after a crash repairs what it left.
  node("ingest worker", true, [...tsx, path.join(root, "scripts", "worker.ts"), "--reconcile"]),
  // The local model server, unless the app is pointed at another OpenAI-compatible server. The app
  // answers without it (quoted answers), so one that keeps failing is retried, not fatal. Its stdin
  // pipe closes if this process dies without signalling, so it does not outlive us.
  ...(env.LLM_BASE_URL ? [] : [node("local model server", false, [...tsx, path.join(root, "llm-server", "main.ts"), ...skip], "pipe")]),
  node("web server", true, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(env.PORT), "-H", env.HOST]),
];
await supervisor.start(services).catch((error: Error) => cliLog.warn(`Could not start: ${error.message}`));
cliLog.info(`Vouch is starting at ${env.appUrl} (${db.kind} database).`);
