/**
 * npm run ingest -- <files or folders> --kb <slug>
 * Queues the files and processes them with an in-process worker on the shared
 * queue (so it works with or without `npm start`), then prints a summary.
 */
import fs from "node:fs/promises";
import cliProgress from "cli-progress";
import { getDocument, type DocumentRow } from "@/db/queries/documents";
import { createKnowledgeBase, getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { collectFiles } from "@/ingest/collect";
import { acceptUploads, type UploadResult } from "@/ingest/upload";
import { startIngestWorker } from "@/ingest/worker";
import { withActiveEmbedding } from "@/lib/embeddings/active";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines } from "@/lib/engines/open";
import { createLogger } from "@/lib/log";
import { slugSchema } from "@/lib/kb/schemas";
import { embedderRefusal } from "@/lib/models/deployment";
import { openModelGate } from "@/lib/models/wiring";
import { cliLog, parseArgs, startWithNativeSettings, withDatabase } from "./_cli";

await startWithNativeSettings();

const { _: paths, flags } = parseArgs(process.argv.slice(2));
const slug = slugSchema.safeParse(flags.kb);
if (!slug.success || paths.length === 0) {
  console.error("Usage: npm run ingest -- <files or folders> --kb <slug>");
  process.exit(2);
}
const actor = { id: null, email: "cli" };

const failed = await withDatabase(async (db, settings) => {
  // The embedding model an admin switched to, if any, as the web servers and workers use it.
  const env = withActiveEmbedding(settings);
  // No model runs unless the model policy allows it: a refused embedder stops here, before anything is queued.
  const gate = await openModelGate(db.db, { ...env, MODEL_RECHECK_INTERVAL_S: 0 });
  const refusal = embedderRefusal(gate, env);
  if (refusal) {
    console.error(refusal);
    return -1;
  }
  let kb = await getKnowledgeBase(db.db, { slug: slug.data });
  if (!kb) {
    kb = await createKnowledgeBase(db.db, { slug: slug.data, name: slug.data.replace(/-/g, " ").replace(/^\w/, (c) => c.toUpperCase()), description: "", visibility: "all", readerIds: [], actor });
    cliLog.info(`Created the knowledge base "${kb.slug}" (it did not exist yet).`);
  }
  const files = await collectFiles(paths);
  cliLog.info(`Queuing ${files.length} file(s) into "${kb.slug}" …`);
  const results: UploadResult[] = [];
  for (const f of files) {
    const bytes = new Uint8Array(await fs.readFile(f.path));
    results.push(...(await acceptUploads([{ fileName: f.name, bytes }], { db: db.db, filesDir: env.filesDir, kbId: kb.id, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, actor })));
  }
  const queued = results.filter((r) => r.documentId && (r.outcome === "queued" || r.outcome === "new-version"));

  if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, cliLog.info);
  const engines = await openEngines(env);
  const log = createLogger({ level: "silent" });
  const worker = startIngestWorker({ db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log, concurrency: env.INGEST_CONCURRENCY, parseWorkers: env.INGEST_PARSE_WORKERS, pollMs: 250, refusal: () => embedderRefusal(gate, env) });
  const bar = new cliProgress.SingleBar({ format: "ingest [{bar}] {value}/{total} files | {stage}", hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(queued.length, 0, { stage: "starting" });
  const finalDocs = new Map<string, DocumentRow>();
  while (finalDocs.size < queued.length) {
    for (const r of queued) {
      if (finalDocs.has(r.documentId!)) continue;
      const doc = await getDocument(db.db, { id: r.documentId! });
      if (!doc || doc.status === "ready" || doc.status === "failed") finalDocs.set(r.documentId!, doc!);
      else bar.update(finalDocs.size, { stage: `${doc.fileName}: ${doc.status} ${Math.round(doc.progress * 100)}%` });
    }
    bar.update(finalDocs.size, { stage: finalDocs.size === queued.length ? "done" : "working" });
    if (finalDocs.size < queued.length) await new Promise((r) => setTimeout(r, 250));
  }
  bar.stop();
  await worker.stop();
  await engines.close();

  const rows = results.map((r) => {
    const doc = r.documentId ? finalDocs.get(r.documentId) : undefined;
    const status = r.outcome === "rejected" ? "failed" : r.outcome === "duplicate" ? "duplicate" : (doc?.status ?? "missing");
    return { file: r.fileName, status, pages: doc?.pages ?? "", chunks: doc?.chunkCount ?? "", version: doc?.version ?? r.version ?? "", error: r.error ?? doc?.error ?? "" };
  });
  console.table(rows);
  const failedCount = rows.filter((r) => r.status === "failed" || r.status === "missing").length;
  const ready = rows.filter((r) => r.status === "ready").length;
  console.log(`${ready} ready, ${rows.filter((r) => r.status === "duplicate").length} duplicate, ${failedCount} failed.`);
  return failedCount;
});
process.exit(failed === 0 ? 0 : 1);
