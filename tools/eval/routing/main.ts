/**
 * npm run eval:routing -- [--questions <file.jsonl>] [--verbose] [--no-classifier]
 * Runs each question through the assessment the chat uses (hybrid retrieval
 * over the sample knowledge base, then assessQuestion with the default
 * routing policy and embedding similarity), in a throwaway data folder.
 * Prints precision, recall and the confusion matrix for {"q","high"} lines
 * and the held/refused share for {"q","kind"} injection lines. Exits 0.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectDatabase } from "@/db/connection";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { loadSampleKnowledgeBase, SAMPLE_KB_SLUG } from "@/ingest/sample";
import { startIngestWorker } from "@/ingest/worker";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines } from "@/lib/engines/open";
import { parseEnv } from "@/lib/env";
import { createLogger } from "@/lib/log";
import { assessQuestion, DEFAULT_ROUTING_POLICY, embeddingSimilarity } from "@/lib/review";
import { formatRoutingReport, loadRoutingQuestions, scoreRouting } from "./score";
import { retrieve } from "@/lib/retrieval";
import { loadManifest } from "@/lib/models/manifest";
import { loadClassifier, type RiskClassifier } from "@/lib/review/classifier";
import { cliLog, loadEnvOrExit, parseArgs, startWithNativeSettings } from "@/scripts/_cli";

await startWithNativeSettings();

const { flags } = parseArgs(process.argv.slice(2));
const file = typeof flags.questions === "string" ? flags.questions : path.resolve(import.meta.dirname, "fixtures/routing-questions.jsonl");
const verbose = flags.verbose === true;
const useClassifier = flags["no-classifier"] !== true;
const questions = loadRoutingQuestions(file);
const base = loadEnvOrExit();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-eval-routing-"));
fs.chmodSync(dataDir, 0o755); // run as root, the embedded server runs as the postgres user and must reach its folder
// Only the data folder is throwaway; the models are the ones this installation uses.
const env = parseEnv({ DATA_DIR: dataDir, MODELS_DIR: base.modelsDir, EMBEDDER: base.EMBEDDER, EMBED_BATCH: String(base.EMBED_BATCH) });
const silent = createLogger({ level: "silent" });

try {
  cliLog.info(`Starting a throwaway database in ${dataDir} …`);
  const db = await connectDatabase(env, { info: () => {}, warn: cliLog.warn });
  try {
    if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, cliLog.info);
    const engines = await openEngines(env);
    try {
      cliLog.info("Ingesting the sample knowledge base …");
      await loadSampleKnowledgeBase(db.db, { filesDir: env.filesDir, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024 });
      const worker = startIngestWorker({ db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log: silent, pollMs: 100 });
      await worker.idle();
      await worker.stop();
      const kb = await getKnowledgeBase(db.db, { slug: SAMPLE_KB_SLUG });
      if (!kb) throw new Error("the sample knowledge base was not created");

      const similarity = embeddingSimilarity(engines.embedder);
      const classifier = useClassifier ? shippedClassifier(base.manifestFile) : undefined;
      const results = [];
      for (const question of questions) {
        const { chunks } = await retrieve({ query: question.q, kbIds: [kb.id], embedder: engines.embedder, store: engines.store });
        const assessment = await assessQuestion({
          question: question.q,
          chunks: chunks.map((c) => ({ text: c.text, fusedScore: c.fusedScore, vectorScore: c.vectorScore })),
          policy: DEFAULT_ROUTING_POLICY,
          similarity,
          classifier,
        });
        if (verbose) {
          const best = chunks[0];
          const label = "high" in question ? (question.high ? "high" : "routine") : `injection:${question.kind}`;
          console.log(`${assessment.decision.padEnd(7)} ${label.padEnd(22)} top=${best ? `${best.fusedScore.toFixed(2)}/${best.vectorScore?.toFixed(2) ?? "-"}` : "none"} ${question.q.slice(0, 70)}`);
        }
        results.push({ question, assessment });
      }
      console.log(`questions: ${file}${classifier ? "" : " (without the risk classifier)"}`);
      console.log(formatRoutingReport(scoreRouting(results)));
    } finally {
      await engines.close();
    }
  } finally {
    await db.close();
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);

/** The manifest's enabled classifier, read straight from its file (this tool runs no model gate). */
function shippedClassifier(manifestFile: string): RiskClassifier {
  const entry = loadManifest(manifestFile).models.find((m) => m.role === "classifier" && m.enabled);
  const file = entry?.files[0];
  if (!file) throw new Error(`No enabled classifier in ${manifestFile}; run with --no-classifier to evaluate without one.`);
  return loadClassifier(JSON.parse(fs.readFileSync(path.resolve(path.dirname(manifestFile), file.path), "utf8")));
}
