/**
 * npm run ingest -- <files or folders> --kb <slug> [--verbose]
 * Queues the files and processes them with an in-process worker on the shared
 * queue (so it works with or without `npm start`), then prints a summary: files,
 * pages, chunks, pages/s and each failure with its reason; the per-file table
 * too with --verbose or under 50 files.
 */
import fs from "node:fs/promises";
import cliProgress from "cli-progress";
import { countFinishedDocuments, listDocuments, type DocumentRow } from "@/db/queries/documents";
import { createKnowledgeBase, getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { collectFiles } from "@/ingest/collect";
import { acceptUploads, type UploadResult } from "@/ingest/upload";
import { startIngestWorker } from "@/ingest/worker";
import { openIngestEngines } from "@/ingest/prepare/open";
import { withActiveEmbedding } from "@/lib/embeddings/active";
import { createLogger } from "@/lib/log";
import { slugSchema } from "@/lib/kb/schemas";
import { embedderRefusal } from "@/lib/models/deployment";
import { openModelGate } from "@/lib/models/wiring";
import { cliLog, parseArgs, startWithNativeSettings, withDatabase } from "./_cli";

await startWithNativeSettings();

const { _: paths, flags } = parseArgs(process.argv.slice(2));
const slug = slugSchema.safeParse(flags.kb);
if (!slug.success || paths.length === 0) {
  console.error("Usage: npm run ingest -- <files or folders> --kb <slug> [--verbose]");
  process.exit(2);
}
const actor = { id: null, email: "cli" };
/** Files checked, stored and recorded together (their bytes are held in memory meanwhile). */
const QUEUE_GROUP = 64;

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
  const started = performance.now();
  const engines = await openIngestEngines(env, cliLog.info);
  const log = createLogger({ level: "silent" });
  // Started first, so documents are processed while the rest are still being queued.
  const worker = startIngestWorker({ db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log, concurrency: env.INGEST_CONCURRENCY, threads: engines.pool, pollMs: 250, refusal: () => embedderRefusal(gate, env) });
  const bar = new cliProgress.SingleBar({ format: "ingest [{bar}] {value}/{total} files | {stage}", hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(files.length, 0, { stage: "queuing" });
  const results: UploadResult[] = [];
  // Recorded in groups: one transaction per group rather than per file.
  for (let i = 0; i < files.length; i += QUEUE_GROUP) {
    const items = await Promise.all(files.slice(i, i + QUEUE_GROUP).map(async (f) => ({ fileName: f.name, bytes: new Uint8Array(await fs.readFile(f.path)) })));
    results.push(...(await acceptUploads(items, { db: db.db, filesDir: env.filesDir, kbId: kb.id, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, actor })));
    bar.update(0, { stage: `queued ${results.length} of ${files.length}` });
  }
  // Waited for: what this run queued, and earlier copies still unfinished (a crashed run's, or another's).
  const queued = new Set(results.flatMap((r) => (r.documentId && (r.outcome === "queued" || r.outcome === "new-version" || r.unfinished) ? [r.documentId] : [])));
  const earlier = results.filter((r) => r.unfinished).length;
  if (earlier > 0) cliLog.info(`${earlier} of these files were queued before and are not finished yet; waiting for them too.`);
  bar.setTotal(queued.size);
  // One count per tick while the work goes on; the rows are read once at the end.
  const ids = [...queued];
  for (let done = 0; done < ids.length; ) {
    done = await countFinishedDocuments(db.db, { ids });
    bar.update(done, { stage: done === ids.length ? "done" : "working" });
    if (done < ids.length) await new Promise((r) => setTimeout(r, 250));
  }
  const finalDocs = new Map((await listDocuments(db.db, { kbId: kb.id })).map((d) => [d.doc.id, d.doc]));
  bar.stop();
  await worker.stop();
  await engines.close();
  return report(results, finalDocs, (performance.now() - started) / 1000, flags.verbose === true);
});
process.exit(failed === 0 ? 0 : 1);

/** The summary (files, pages, chunks, pages/s, failures with reasons); the per-file table with --verbose or under 50 files. */
function report(results: UploadResult[], docs: Map<string, DocumentRow>, seconds: number, verbose: boolean): number {
  const rows = results.map((r) => {
    const doc = r.documentId ? docs.get(r.documentId) : undefined;
    const status = r.outcome === "rejected" ? "failed" : r.outcome === "duplicate" && !r.unfinished ? "duplicate" : (doc?.status ?? "missing");
    return { file: r.fileName, status, pages: doc?.pages ?? "", chunks: doc?.chunkCount ?? "", version: doc?.version ?? r.version ?? "", error: r.error ?? doc?.error ?? "" };
  });
  if (verbose || rows.length < 50) console.table(rows);
  const failures = rows.filter((r) => r.status === "failed" || r.status === "missing");
  const ready = rows.filter((r) => r.status === "ready");
  const pages = ready.reduce((n, r) => n + (Number(r.pages) || 0), 0);
  const chunks = ready.reduce((n, r) => n + (Number(r.chunks) || 0), 0);
  console.log(
    `${rows.length} files: ${ready.length} ready, ${rows.filter((r) => r.status === "duplicate").length} duplicate, ${failures.length} failed; ` +
      `${pages} pages, ${chunks} chunks in ${seconds.toFixed(1)} s (${(pages / seconds).toFixed(1)} pages/s).`,
  );
  for (const f of failures) console.log(`  failed: ${f.file}: ${f.error || "no reason recorded"}`);
  return failures.length;
}
