/**
 * npm run eval:retrieval -- --docs <folder> --questions <file.jsonl> [--k 5] [--include "*.html"]... [--variants] [--details] [--data <dir>]
 *
 * Ingests the folder (recursively) into a throwaway knowledge base in a fresh
 * temporary data folder (embedded Postgres + LanceDB, real upload + worker
 * pipeline), asks each question, and prints recall@k, recall@10 and MRR for
 * BM25 alone, dense alone and the default hybrid, with retrieval latency.
 * --variants also measures corpus-adapted dense weights, search-text layouts
 * and other fusion weights (see lib/retrieval/eval/variants.ts).
 * --data <dir> keeps the data folder instead of a temporary one: a second run
 * with the same folder skips ingestion (for tuning; --docs must not change).
 * For the Apache manual from Debian's apache2-doc: --docs /usr/share/doc/apache2-doc/manual/en
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectDatabase } from "@/db/connection";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines } from "@/lib/engines/open";
import { createLogger } from "@/lib/log";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { describeIngested, EVAL_KB_SLUG, ingestFolder, listDocs } from "@/tools/eval/retrieval/ingest-folder";
import { loadEvalQuestions } from "@/tools/eval/retrieval/questions";
import { formatResults, runModes, standardModes } from "@/lib/eval/retrieval-modes";
import { runVariants } from "@/tools/eval/retrieval/variants";
import { cliLog, loadEnvOrExit, startWithNativeSettings } from "@/scripts/_cli";

await startWithNativeSettings();

const USAGE = 'Usage: npm run eval:retrieval -- --docs <folder> --questions <file.jsonl> [--k 5] [--include "*.html"] [--variants] [--details] [--data <dir>]';

function parseFlags(argv: string[]) {
  const flags: { docs?: string; questions?: string; data?: string; k: number; include: string[]; variants: boolean; details: boolean } = { k: 5, include: [], variants: false, details: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--docs") flags.docs = value();
    else if (arg === "--questions") flags.questions = value();
    else if (arg === "--k") flags.k = Number(value());
    else if (arg === "--include") flags.include.push(value());
    else if (arg === "--data") flags.data = value();
    else if (arg === "--variants") flags.variants = true;
    else if (arg === "--details") flags.details = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!flags.docs || !flags.questions || !Number.isInteger(flags.k) || flags.k < 1) throw new Error("--docs and --questions are required; --k is a positive integer");
  return flags as typeof flags & { docs: string; questions: string };
}

let flags: ReturnType<typeof parseFlags>;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const questions = loadEvalQuestions(path.resolve(flags.questions));
const files = await listDocs(path.resolve(flags.docs), flags.include);
if (files.length === 0) {
  console.error(`No documents under ${flags.docs}${flags.include.length ? ` matching ${flags.include.join(", ")}` : ""}.`);
  process.exit(2);
}
const ks = [...new Set([flags.k, 5, 10])].sort((a, b) => a - b);

const base = loadEnvOrExit();
const tmp = flags.data ? path.resolve(flags.data) : fs.mkdtempSync(path.join(os.tmpdir(), "vouch-eval-"));
fs.mkdirSync(tmp, { recursive: true });
fs.chmodSync(tmp, 0o755); // the embedded Postgres runs as the postgres user
const env = { ...base, DATABASE_URL: undefined, dataDir: tmp, lancedbUri: path.join(tmp, "lancedb"), filesDir: path.join(tmp, "files") };
const cleanup = () => (flags.data ? undefined : fs.rmSync(tmp, { recursive: true, force: true }));
process.once("SIGINT", () => (cleanup(), process.exit(130)));

try {
  if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, cliLog.info);
  const db = await connectDatabase(env, cliLog);
  const engines = await openEngines(env);
  try {
    const previous = flags.data ? await getKnowledgeBase(db.db, { slug: EVAL_KB_SLUG }) : undefined;
    if (previous) cliLog.info(`Reusing the knowledge base ingested earlier in ${tmp}.`);
    else cliLog.info(`Ingesting ${files.length} file(s) from ${flags.docs} with ${engines.embedder.id} …`);
    const ingested = previous ? await describeIngested(db.db, engines.store, previous.id) : await ingestFolder(files, { db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log: createLogger({ level: "silent" }), maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, concurrency: env.INGEST_CONCURRENCY });
    console.log(`Corpus: ${ingested.ready}/${ingested.files} files ready, ${ingested.chunks} chunks, ingested in ${(ingested.ms / 1000).toFixed(1)} s; ${questions.length} questions; embedder ${engines.embedder.id} (${engines.embedder.kind})`);
    for (const f of ingested.failed.slice(0, 10)) cliLog.warn(`${f.fileName}: ${f.error}`);
    const known = new Set(files.map((f) => f.name.toLowerCase()));
    const baseNames = new Set(files.map((f) => (f.name.split("/").pop() ?? "").toLowerCase()));
    for (const q of questions) {
      const missing = q.expect.filter((e) => !known.has(e.toLowerCase()) && !baseNames.has(e.toLowerCase()));
      if (missing.length) cliLog.warn(`expected file(s) not in the corpus: ${missing.join(", ")} (question: ${q.q})`);
    }
    const common = { questions, embedder: engines.embedder, store: engines.store, kbIds: [ingested.kbId], ks };
    const results = await runModes({ ...common, modes: standardModes(engines.embedder.kind) });
    console.log(formatResults(results, ks));
    if (flags.details) {
      for (const r of results) {
        console.log(`\nMissed at ${Math.max(...ks)} by ${r.mode.name}:`);
        for (const o of r.outcomes.filter((o) => o.firstHit === null)) console.log(`  - ${o.q}  [want ${o.expect.join(", ")}; got ${[...new Set(o.top)].slice(0, 3).join(", ")}]`);
      }
    }
    if (flags.variants) await runVariants({ ...common, lancedbUri: env.lancedbUri, print: (s) => console.log(s) });
  } finally {
    await engines.close();
    await db.close();
  }
} finally {
  cleanup();
}
process.exit(0);
