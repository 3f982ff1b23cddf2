/** npm run worker — an ingest worker on the shared queue (npm start runs one; add more to scale out). */
import { makeDataFolderPrivate } from "@/lib/runtime/data-folder";
import { readChoice, withActiveEmbedding } from "@/lib/embeddings/active";
import { openIngestEngines, type IngestEngines } from "@/ingest/prepare/open";
import type { Env } from "@/lib/env";
import { createLogger } from "@/lib/log";
import { startIngestWorker, type IngestWorker } from "@/ingest/worker";
import { connectDatabase } from "@/db/connection";
import { reconcile } from "@/lib/kb/service";
import { embedderRefusal } from "@/lib/models/deployment";
import { openModelGate } from "@/lib/models/wiring";
import { cliLog, loadEnvOrExit, startWithNativeSettings } from "./_cli";
import { checkpointFile } from "@/db/audit-checkpoints";
import { startAuditCheckpoints } from "@/lib/audit/checkpoints";
import { startRetentionJob } from "@/lib/audit/retention";

await startWithNativeSettings();

/** How often the data folder is checked for an embedding model switched in Admin › Models. */
const CHOICE_CHECK_MS = 5_000;

const base = loadEnvOrExit();
const log = createLogger().child({ component: "ingest-worker" });
makeDataFolderPrivate(base.dataDir);
const db = await connectDatabase(base, cliLog);
// The worker runs the embedding model only while the model policy allows it (re-checked by the gate's timer).
const gate = await openModelGate(db.db, base);

interface Running {
  choice: string;
  engines: IngestEngines;
  worker: IngestWorker;
}

async function start(repair: boolean): Promise<Running> {
  const choice = readChoice(base.dataDir);
  const env: Env = withActiveEmbedding(base);
  const engines = await openIngestEngines(env, (m) => cliLog.info(m));
  if (repair) {
    // Vectors whose document is gone, documents whose chunks are gone (also those ingested into the
    // previous model's table while a switch completed), files nobody references.
    const report = await reconcile({ db: db.db, store: engines.store, filesDir: env.filesDir }, { id: null, email: "system" });
    log.info(report, "reconciled Postgres, the vector store and stored files");
  }
  const refusal = () => embedderRefusal(gate, env);
  const worker = startIngestWorker({ db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log, concurrency: env.INGEST_CONCURRENCY, threads: engines.pool, refusal });
  log.info({ workerId: worker.workerId, embedder: engines.embedderId }, "ingest worker ready");
  return { choice, engines, worker };
}

let running = await start(process.argv.includes("--reconcile"));
const checkpoints = startAuditCheckpoints(db.db, checkpointFile(base), { onError: (e) => log.warn({ err: e }, "audit checkpoint failed") });
const retention = startRetentionJob(db.db, { onError: (e) => log.warn({ err: e }, "turn record retention purge failed") });
let switching = false;
const watch = setInterval(() => {
  if (switching || readChoice(base.dataDir) === running.choice) return;
  switching = true;
  void (async () => {
    log.info({ from: running.engines.embedderId }, "the embedding model was switched; finishing the documents in progress");
    await running.worker.stop();
    await running.engines.close();
    running = await start(true);
  })()
    .catch((error: Error) => {
      log.error({ err: error }, "could not switch to the new embedding model");
      process.exit(1);
    })
    .finally(() => (switching = false));
}, CHOICE_CHECK_MS);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(watch);
  log.info({}, "ingest worker stopping after the documents in progress");
  await running.worker.stop();
  await checkpoints.stop();
  retention.stop();
  gate.stop();
  await running.engines.close();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
