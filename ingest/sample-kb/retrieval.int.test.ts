/**
 * Retrieval quality on the sample knowledge base (issue 7 §9): the 46
 * agent-style questions in questions.jsonl, asked through the real pipeline
 * (upload → worker → LanceDB) with the default offline embedder and BM25.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines, type Engines } from "@/lib/engines/open";
import { parseEnv } from "@/lib/env";
import { createLogger } from "@/lib/log";
import { ingestFolder, listDocs, type IngestFolderResult } from "@/tools/eval/retrieval/ingest-folder";
import { loadEvalQuestions } from "@/tools/eval/retrieval/questions";
import { formatResults, runModes, standardModes } from "@/lib/eval/retrieval-modes";

const here = import.meta.dirname;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-retrieval-"));
const questions = loadEvalQuestions(path.join(here, "questions.jsonl"));
let t: TestDatabase;
let engines: Engines;
let corpus: IngestFolderResult;

beforeAll(async () => {
  t = await createTestDatabase();
  const env = parseEnv({ DATA_DIR: dir });
  await ensureDefaultEmbeddingModel(env.modelsDir);
  engines = await openEngines(env);
  const files = await listDocs(path.join(here, "files"));
  corpus = await ingestFolder(files, { db: t.db, sql: t.sql, store: engines.store, embedder: engines.embedder, filesDir: env.filesDir, log: createLogger({ level: "silent" }), maxBytes: 50 * 1024 * 1024 });
});
afterAll(async () => {
  await engines?.close();
  await t?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("retrieval on the sample knowledge base", () => {
  it("finds an answering document in the top 5 for at least 80% of the questions with the default hybrid", async () => {
    expect(questions.length).toBeGreaterThanOrEqual(25);
    expect(corpus).toMatchObject({ files: 10, ready: 10, failed: [] });
    expect(engines.embedder.kind).toBe("static");
    const results = await runModes({ questions, embedder: engines.embedder, store: engines.store, kbIds: [corpus.kbId], modes: standardModes(engines.embedder.kind) });
    console.log(`${questions.length} questions, ${corpus.chunks} chunks\n${formatResults(results)}`);
    const [bm25, , hybrid] = results;
    expect(hybrid!.recallAt[5]).toBeGreaterThanOrEqual(0.8);
    // Hybrid must never score below BM25 alone (issue 7 §1).
    expect(hybrid!.recallAt[5]).toBeGreaterThanOrEqual(bm25!.recallAt[5]!);
    expect(hybrid!.mrr).toBeGreaterThanOrEqual(bm25!.mrr);
  });
});
