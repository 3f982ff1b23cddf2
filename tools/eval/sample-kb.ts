/**
 * The evaluations' throwaway world: a fresh data folder with its own embedded
 * database, the sample knowledge base ingested through the real pipeline, and
 * the models this installation uses. Removed afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "@/db/client";
import { connectDatabase } from "@/db/connection";
import { getKnowledgeBase, type KnowledgeBase } from "@/db/queries/knowledge-bases";
import { loadSampleKnowledgeBase, SAMPLE_KB_SLUG } from "@/ingest/sample";
import { startIngestWorker } from "@/ingest/worker";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines, type Engines } from "@/lib/engines/open";
import { parseEnv, type Env } from "@/lib/env";
import { createLogger } from "@/lib/log";
import { loadManifest } from "@/lib/models/manifest";
import { loadClassifier, type RiskClassifier } from "@/lib/review/classifier";
import { cliLog } from "@/scripts/_cli";

export interface SampleWorld {
  db: Database;
  engines: Engines;
  kb: KnowledgeBase;
}

export async function withSampleKnowledgeBase<T>(base: Env, run: (world: SampleWorld) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-eval-"));
  fs.chmodSync(dataDir, 0o755); // run as root, the embedded server runs as the postgres user and must reach its folder
  // Only the data folder is throwaway; the models are the ones this installation uses.
  const env = parseEnv({ DATA_DIR: dataDir, MODELS_DIR: base.modelsDir, EMBEDDER: base.EMBEDDER, EMBED_BATCH: String(base.EMBED_BATCH) });
  try {
    cliLog.info(`Starting a throwaway database in ${dataDir} …`);
    const db = await connectDatabase(env, { info: () => {}, warn: cliLog.warn });
    try {
      if (env.EMBEDDER === "wink-sif-100d") await ensureDefaultEmbeddingModel(env.modelsDir, cliLog.info);
      const engines = await openEngines(env);
      try {
        cliLog.info("Ingesting the sample knowledge base …");
        await loadSampleKnowledgeBase(db.db, { filesDir: env.filesDir, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024 });
        const worker = startIngestWorker({ db: db.db, sql: db.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log: createLogger({ level: "silent" }), pollMs: 100 });
        await worker.idle();
        await worker.stop();
        const kb = await getKnowledgeBase(db.db, { slug: SAMPLE_KB_SLUG });
        if (!kb) throw new Error("the sample knowledge base was not created");
        return await run({ db: db.db, engines, kb });
      } finally {
        await engines.close();
      }
    } finally {
      await db.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The manifest's enabled classifier, read straight from its file (the evaluations run no model gate). */
export function shippedClassifier(manifestFile: string): RiskClassifier {
  const entry = loadManifest(manifestFile).models.find((m) => m.role === "classifier" && m.enabled);
  const file = entry?.files[0];
  if (!file) throw new Error(`No enabled classifier in ${manifestFile}; run with --no-classifier to evaluate without one.`);
  return loadClassifier(JSON.parse(fs.readFileSync(path.resolve(path.dirname(manifestFile), file.path), "utf8")));
}
