/**
 * npm run bench:ingest [-- --scale 1 --concurrency N --parse-workers N --profile-files 10 --maintain-every ROWS]
 * npm run bench:ingest -- --compare <folder of HTML, PDF and DOCX>   (Vouch against a plain pipeline: compare.ts)
 * npm run bench:ingest -- --write-docx <folder> [--count 40]      (generated DOCX handbooks for a mixed folder)
 * Generates a mixed corpus (long PDFs, DOCX, HTML, Markdown; ≥ 2,000 pages at
 * scale 1), uploads it into a throwaway data folder and ingests it through
 * the real queue and worker. Prints pages/s, chunks/s, the ratio to the
 * embedder's raw throughput on the same chunk texts, a per-stage profile and
 * peak RSS. Prints; asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectDatabase } from "@/db/connection";
import { claimDocuments, listDocuments, reportProgressOfDocuments } from "@/db/queries/documents";
import { createKnowledgeBase } from "@/db/queries/knowledge-bases";
import { DEFAULT_PLAN, generateCorpus, scalePlan, type CorpusFile, type CorpusFormat } from "@/tools/bench/ingest/corpus";
import { mb, rate, rawEmbed, startRssSampler, stopwatch, TimedEmbedder, TimedStore, type Lap } from "@/tools/bench/ingest/measure";
import { profileStages } from "@/tools/bench/ingest/profile";
import { compareIngest } from "@/tools/bench/ingest/compare";
import { acceptUploads } from "@/ingest/upload";
import { startIngestWorker } from "@/ingest/worker";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { embedderConfigFromEnv } from "@/lib/embeddings/factory";
import { openEngines } from "@/lib/engines/open";
import { getEnv } from "@/lib/env";
import { openLanceVectorStore } from "@/lib/vectorstore";
import { parseArgs, startWithNativeSettings } from "@/scripts/_cli";

await startWithNativeSettings();

const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.compare === "string") {
  await compareIngest(flags.compare);
  process.exit(0);
}
if (typeof flags["write-docx"] === "string") {
  // No DOCX ships in Debian's doc packages: the mixed comparison takes these generated handbooks.
  const folder = flags["write-docx"];
  const count = Number(flags.count ?? DEFAULT_PLAN.files.docx.count);
  fs.mkdirSync(folder, { recursive: true });
  const plan = { ...DEFAULT_PLAN, files: { pdf: { count: 0, words: 0 }, docx: { ...DEFAULT_PLAN.files.docx, count }, html: { count: 0, words: 0 }, md: { count: 0, words: 0 } } };
  for await (const file of generateCorpus(plan)) fs.writeFileSync(path.join(folder, file.fileName), file.bytes);
  console.log(`wrote ${count} DOCX handbooks (~${DEFAULT_PLAN.files.docx.words} words each) to ${folder}`);
  process.exit(0);
}
const env = getEnv();
const scale = Number(flags.scale ?? 1);
const parseWorkers = Number(flags["parse-workers"] ?? env.INGEST_PARSE_WORKERS);
// The worker keeps at least four documents in progress per prepare thread.
const concurrency = Math.max(Number(flags.concurrency ?? env.INGEST_CONCURRENCY), 4 * parseWorkers);
const profileFiles = Number(flags["profile-files"] ?? 10);
/** Experiment: open the store with this maintenance interval instead of openEngines' default. */
const maintainEvery = flags["maintain-every"] === undefined ? undefined : Number(flags["maintain-every"]);
if (!(scale > 0) || !(concurrency >= 1) || !(parseWorkers >= 0) || !(profileFiles >= 0)) {
  console.error("Usage: npm run bench:ingest -- [--scale <factor>] [--concurrency <n>] [--parse-workers <n>] [--profile-files <n>] [--maintain-every <rows>]");
  process.exit(2);
}

const rss = startRssSampler(100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-bench-ingest-"));
// The embedded Postgres runs as the postgres user when we are root.
fs.chmodSync(dir, 0o755);
const quiet = { info: () => {}, warn: (m: string) => process.stderr.write(`warning: ${m}\n`) };
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const lapText = (l: Lap) => `${fmt(l.wallMs / 1000, 1)} s wall, ${fmt(l.cpuMs / 1000, 1)} s CPU`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const db = await connectDatabase({ DATABASE_URL: undefined, dataDir: dir }, quiet);
// Interrupted: still stop the throwaway Postgres and remove the folder.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void db.close().catch(() => {}).finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  });
}
let exitCode = 0;
try {
  await ensureDefaultEmbeddingModel(env.modelsDir);
  const engines = await openEngines({ ...env, lancedbUri: path.join(dir, "lancedb") });
  if (maintainEvery !== undefined) {
    await engines.store.close();
    engines.store = await openLanceVectorStore({ uri: path.join(dir, "lancedb"), embedderId: engines.embedder.id, dimensions: engines.embedder.dimensions, maintainEveryRows: maintainEvery });
  }
  const filesDir = path.join(dir, "files");
  const actor = { id: null, email: "bench" };
  const kb = await createKnowledgeBase(db.db, { slug: "bench", name: "Bench", description: "", visibility: "all", readerIds: [], actor });
  const plan = scalePlan(DEFAULT_PLAN, scale);
  const planText = (Object.entries(plan.files) as [CorpusFormat, { count: number; words: number }][]).map(([f, p]) => `${p.count} ${f} × ~${fmt(p.words)} words`).join(", ");
  console.log(`bench:ingest: ${planText}; embedder ${engines.embedder.id}, batch ${engines.embedder.maxBatch}; worker concurrency ${concurrency}, ${parseWorkers} parser thread(s); ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`);

  // 1. Generate and upload (not part of the ingestion figures).
  const genLap = stopwatch();
  let uploadMs = 0;
  let corpusBytes = 0;
  const sample: CorpusFile[] = [];
  const perFormat = new Map<CorpusFormat, number>();
  for await (const file of generateCorpus(plan)) {
    corpusBytes += file.bytes.length;
    const seen = perFormat.get(file.format) ?? 0;
    perFormat.set(file.format, seen + 1);
    if (seen < (file.format === "pdf" ? Math.min(1, profileFiles) : profileFiles)) sample.push({ ...file, fileName: `profile/${file.fileName}` });
    const t0 = performance.now();
    const [result] = await acceptUploads([file], { db: db.db, filesDir, kbId: kb.id, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, actor });
    uploadMs += performance.now() - t0;
    if (result?.outcome !== "queued") throw new Error(`upload of ${file.fileName} was ${result?.outcome}: ${result?.error ?? ""}`);
  }
  const gen = genLap();
  console.log(`  corpus: ${fmt(corpusBytes / 1024 / 1024, 1)} MB generated and queued in ${lapText(gen)} (uploads ${fmt(uploadMs / 1000, 1)} s of it); peak RSS so far ${mb(rss.phase())}`);

  // 2. End to end: the real worker drains the queue.
  const embedder = new TimedEmbedder(engines.embedder);
  const store = new TimedStore(engines.store);
  let lastReadyMs = 0;
  let failed = 0;
  const e2eLap = stopwatch();
  const t0 = performance.now();
  const log = {
    info: (_: object, msg: string) => {
      if (msg === "document ready") lastReadyMs = performance.now() - t0;
    },
    warn: (obj: object, msg: string) => {
      if (msg === "document failed") failed++;
      process.stderr.write(`warning: ${msg} ${JSON.stringify(obj)}\n`);
    },
    error: (obj: object, msg: string) => process.stderr.write(`error: ${msg} ${JSON.stringify(obj)}\n`),
  };
  const worker = startIngestWorker({ db: db.db, sql: db.sql, store, embedder, filesDir, log, concurrency, threads: { size: parseWorkers, embedder: embedderConfigFromEnv(env) }, pollMs: 100 });
  await worker.idle();
  const idle = e2eLap();
  await worker.stop();
  const ingestPeak = rss.phase();

  const docs = (await listDocuments(db.db, { kbId: kb.id })).map((d) => d.doc);
  const ready = docs.filter((d) => d.status === "ready");
  const pages = ready.reduce((n, d) => n + (d.pages ?? 0), 0);
  const chunks = ready.reduce((n, d) => n + (d.chunkCount ?? 0), 0);
  if (ready.length !== docs.length || failed > 0) {
    exitCode = 1;
    console.error(`  ${docs.length - ready.length} document(s) did not become ready`);
  }
  const byType = new Map<string, { docs: number; pages: number; chunks: number }>();
  for (const d of ready) {
    const t = byType.get(d.type ?? "?") ?? { docs: 0, pages: 0, chunks: 0 };
    byType.set(d.type ?? "?", { docs: t.docs + 1, pages: t.pages + (d.pages ?? 0), chunks: t.chunks + (d.chunkCount ?? 0) });
  }
  console.log(`  ingested: ${ready.length}/${docs.length} documents ready, ${fmt(pages)} pages, ${fmt(chunks)} chunks (${[...byType].map(([t, v]) => `${t}: ${v.docs} docs/${fmt(v.pages)} pages/${fmt(v.chunks)} chunks`).join("; ")})`);
  const readyS = lastReadyMs / 1000;
  console.log(`  end to end (all documents ready): ${fmt(readyS, 1)} s  →  ${fmt(rate(pages, lastReadyMs), 1)} pages/s, ${fmt(rate(chunks, lastReadyMs), 1)} chunks/s`);
  console.log(`    until the worker was idle (incl. final index fold-in): ${lapText(idle)}; process CPU ${fmt((idle.cpuMs / idle.wallMs) * 100)}% of one core`);
  console.log(
    `    inside the run: embed() ${fmt(embedder.embedTally.ms / 1000, 2)} s over ${fmt(embedder.embedTally.calls)} calls; ` +
      `store writes ${fmt(store.writes.ms / 1000, 2)} s over ${fmt(store.writes.calls)} commits (add/replaceDocument); ` +
      `countTokens ${fmt(embedder.countTally.ms / 1000, 2)} s over ${fmt(embedder.countTally.calls)} calls; ` +
      `index maintenance ${fmt(store.maintenance.ms / 1000, 2)} s`,
  );

  // 3. The embedder alone on the same texts (headings included), in slices of maxBatch.
  const raws: Lap[] = [];
  for (let i = 0; i < 3; i++) raws.push(await rawEmbed(engines.embedder, embedder.texts));
  const rawWall = median(raws.map((r) => r.wallMs));
  const rawCpu = median(raws.map((r) => r.cpuMs));
  const rawRate = rate(embedder.texts.length, rawWall);
  const e2eRate = rate(chunks, lastReadyMs);
  console.log(`  raw embedder: ${fmt(embedder.texts.length)} chunk texts in ${fmt(rawWall, 0)} ms (median of 3; ${fmt(rawCpu, 0)} ms CPU)  →  ${fmt(rawRate)} chunks/s`);
  console.log(`  ratio end-to-end / raw embedder chunk throughput: ${(e2eRate / rawRate).toFixed(4)} (target ≥ 0.8: ${e2eRate / rawRate >= 0.8 ? "met" : "NOT met"})`);
  console.log(`    by CPU cost: raw ${fmt((rawCpu / embedder.texts.length) * 1000, 1)} µs/chunk vs end-to-end ${fmt((idle.cpuMs / chunks) * 1000, 0)} µs/chunk (ratio ${(rawCpu / embedder.texts.length / (idle.cpuMs / chunks)).toFixed(4)})`);

  // 4. Where one document's time goes, per format, one document at a time.
  if (sample.length > 0) {
    await acceptUploads([{ fileName: "profile-progress-row.md", bytes: new TextEncoder().encode("# Progress row\n\nWritten by the benchmark's stage profile.\n") }], { db: db.db, filesDir, kbId: kb.id, maxBytes: 1024 * 1024, actor });
    const [row] = await claimDocuments(db.db, { workerId: "bench-profile", leaseMs: 600_000, limit: 1 });
    if (!row) throw new Error("could not lease the profile's progress row");
    const base = { id: row.id, workerId: "bench-profile", version: row.version, leaseMs: 600_000 };
    const profile = await profileStages(sample, {
      embedder: engines.embedder,
      store: engines.store,
      kbId: kb.id,
      writeProgress: async (status, progress, facts) => (await reportProgressOfDocuments(db.db, [{ ...base, status, progress, embedderId: engines.embedder.id, ...facts }]))[0]!,
    });
    console.log("  stage profile (runPipeline one document at a time; ms per chunk, wall [CPU]; progress: writes per document × median ms):");
    console.log("    format files  pages chunks |   parse   [ CPU ]    chunk (countTokens)   embed   store | progress writes | total");
    for (const [format, c] of profile) {
      const per = (ms: number) => fmt(ms / Math.max(c.chunks, 1), 3).padStart(7);
      console.log(
        `    ${format.padEnd(6)} ${String(c.files).padStart(5)} ${String(c.pages).padStart(6)} ${String(c.chunks).padStart(6)} | ` +
          `${per(c.parse.wallMs)} [${per(c.parse.cpuMs)}] ${per(c.chunk.wallMs)} (${per(c.countTokensMs)}) ${per(c.embedMs)} ${per(c.storeMs)} | ${fmt(c.progressWrites / c.files, 1).padStart(5)} × ${fmt(c.progressMedianMs, 1).padStart(5)} ms | ${per(c.totalMs)}`,
      );
    }
    // What parsing and chunking alone cost for this corpus, from the per-format profile: the most the ratio could be.
    const typeOf: Record<CorpusFormat, string> = { pdf: "pdf", docx: "docx", html: "html", md: "markdown" };
    let mainThreadMs = 0;
    for (const [format, c] of profile) mainThreadMs += ((c.parse.cpuMs + c.chunk.cpuMs) / Math.max(c.chunks, 1)) * (byType.get(typeOf[format])?.chunks ?? 0);
    const embedCpuMs = rawCpu * (chunks / embedder.texts.length);
    console.log(
      `  bound: parsing + chunking this corpus costs ~${fmt(mainThreadMs / 1000, 1)} s CPU (profile × chunks per format) against ${fmt(embedCpuMs / 1000, 2)} s to embed it, ` +
        `so with perfect overlap the ratio is at most ~${(embedCpuMs / mainThreadMs).toFixed(3)} on one core (~${((2 * embedCpuMs) / mainThreadMs).toFixed(3)} if parsing used both cores)`,
    );
  }
  await engines.store.close();
  await engines.close();
  console.log(`  load average at the end: ${os.loadavg()[0]?.toFixed(1)}`);
  console.log(`  peak RSS: ${mb(ingestPeak)} during ingestion, ${mb(rss.peak())} over the whole run (sampled every 100 ms; maxRSS ${mb(process.resourceUsage().maxRSS * 1024)})`);
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  rss.stop();
  await db.close().catch((e: Error) => console.error(`closing the database: ${e.message}`));
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
