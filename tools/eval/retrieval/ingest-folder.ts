/**
 * Puts a folder of documents into a fresh knowledge base through the real
 * upload + worker pipeline, so the evaluation measures what users would get.
 */
import fs from "node:fs/promises";
import type { Database } from "@/db/client";
import { listDocuments } from "@/db/queries/documents";
import { createKnowledgeBase } from "@/db/queries/knowledge-bases";
import { collectFiles, type LocalFile } from "../../../ingest/collect";
import { acceptUploads } from "../../../ingest/upload";
import { startIngestWorker, type IngestWorkerDeps } from "../../../ingest/worker";
import { globMatcher } from "@/tools/eval/retrieval/glob";
import type { VectorStore } from "@/lib/vectorstore";

/** The worker's dependencies, plus the upload limit. */
export interface IngestFolderDeps extends Pick<IngestWorkerDeps, "db" | "sql" | "store" | "embedder" | "filesDir" | "log" | "concurrency"> {
  maxBytes: number;
}

export interface IngestFolderResult {
  kbId: string;
  /** Files offered (after the include filter). */
  files: number;
  ready: number;
  failed: { fileName: string; error: string }[];
  chunks: number;
  ms: number;
}

/** Files under `docs` (recursively), names relative to it, kept when any include pattern matches. */
export async function listDocs(docs: string, include: readonly string[] = []): Promise<LocalFile[]> {
  const files = await collectFiles([docs]);
  if (include.length === 0) return files;
  const matchers = include.map(globMatcher);
  return files.filter((f) => matchers.some((m) => m(f.name)));
}

export const EVAL_KB_SLUG = "eval";

/** Counts for a knowledge base ingested earlier (a reused data folder). */
export async function describeIngested(db: Database, store: VectorStore, kbId: string): Promise<IngestFolderResult> {
  const docs = await listDocuments(db, { kbId });
  const failed = docs.filter(({ doc }) => doc.status !== "ready").map(({ doc }) => ({ fileName: doc.fileName, error: doc.error ?? doc.status }));
  return { kbId, files: docs.length, ready: docs.length - failed.length, failed, chunks: await store.count({ kbId }), ms: 0 };
}

export async function ingestFolder(files: readonly LocalFile[], deps: IngestFolderDeps): Promise<IngestFolderResult> {
  const started = performance.now();
  const actor = { id: null, email: "eval" };
  const kb = await createKnowledgeBase(deps.db, { slug: EVAL_KB_SLUG, name: "Evaluation", description: "", visibility: "all", readerIds: [], actor });
  const failed: IngestFolderResult["failed"] = [];
  for (const f of files) {
    const bytes = new Uint8Array(await fs.readFile(f.path));
    const results = await acceptUploads([{ fileName: f.name, bytes }], { db: deps.db, filesDir: deps.filesDir, kbId: kb.id, maxBytes: deps.maxBytes, actor });
    for (const r of results) if (r.outcome === "rejected") failed.push({ fileName: r.fileName, error: r.error ?? "rejected" });
  }
  const worker = startIngestWorker({ db: deps.db, sql: deps.sql, store: deps.store, embedder: deps.embedder, filesDir: deps.filesDir, log: deps.log, concurrency: deps.concurrency, pollMs: 100 });
  await worker.idle();
  await worker.stop(); // also folds the last rows into the full-text index
  await deps.store.ensureIndexes({ force: true });
  const stored = await describeIngested(deps.db, deps.store, kb.id);
  return { ...stored, files: files.length, failed: [...failed, ...stored.failed], ms: performance.now() - started };
}
