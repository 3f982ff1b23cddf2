/** npm run worker — an ingest worker on the shared queue (npm start runs one; add more to scale out). */
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines } from "@/lib/engines/open";
import { createLogger } from "@/lib/log";
import { startIngestWorker } from "@/ingest/worker";
import { connectDatabase } from "@/db/connection";
import { reconcile } from "@/lib/kb/service";
import { embedderRefusal } from "@/lib/models/deployment";
import { openModelGate } from "@/lib/models/wiring";
import { cliLog, loadEnvOrExit, startWithNativeSettings } from "./_cli";

await startWithNativeSettings();

const env = loadEnvOrExit();
const log = createLogger().child({ component: "ingest-worker" });
if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, (m) => cliLog.info(m));
const db = await connectDatabase(env, cliLog);
const engines = await openEngines(env);
if (process.argv.includes("--reconcile")) {
  // At start: vectors whose document is gone, documents whose chunks are gone, files nobody references.
  const report = await reconcile({ db: db.db, store: engines.store, filesDir: env.filesDir }, { id: null, email: "system" });
  log.info(report, "reconciled Postgres, the vector store and stored files");
}
// The worker runs the embedding model only while the model policy allows it (re-checked by the gate's timer).
const gate = await openModelGate(db.db, env);
const refusal = () => embedderRefusal(gate, env);
const worker = startIngestWorker({ db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log, concurrency: env.INGEST_CONCURRENCY, parseWorkers: env.INGEST_PARSE_WORKERS, refusal });
log.info({ workerId: worker.workerId, embedder: engines.embedder.id }, "ingest worker ready");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  log.info({}, "ingest worker stopping after the documents in progress");
  await worker.stop();
  gate.stop();
  await engines.close();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
