/**
 * One document through the stages: prepare (parse → chunk → embed, on this
 * thread or the prepare pool's) → store. The store swaps the document's chunks
 * in one commit, so searches never see half a document; each stage reports
 * progress for the live list.
 */
import { chunkId, type StoredChunk, type VectorStore } from "@/lib/vectorstore";
import type { ChunkOptions } from "./chunk";
import type { PreparedDocument, Preparer, Stage } from "./prepare/prepare";

export type { Stage };

export interface PipelineInput {
  docId: string;
  kbId: string;
  version: number;
  fileName: string;
  bytes: Uint8Array;
  chunkOptions?: Partial<ChunkOptions>;
  /**
   * True when no chunks of this document can exist yet (its first version, on
   * its first attempt): a plain append is one commit like the swap, and far cheaper.
   */
  firstWrite?: boolean;
}

export interface PipelineDeps {
  /** Parses, chunks and embeds (inlinePreparer on this thread, or the prepare pool). */
  preparer: Preparer;
  store: VectorStore;
  /**
   * Writes a first version's chunks in one commit (default: store.add). The
   * worker passes a group commit that folds several documents into one write.
   */
  append?(chunks: readonly StoredChunk[]): Promise<void>;
  /** Called as work advances; returning false (lease lost) aborts the run. */
  report(stage: Stage, progress: number, facts?: { pages?: number; chunkCount?: number; type?: string }): Promise<boolean | void> | boolean | void;
  signal?: AbortSignal;
}

export interface PipelineResult {
  pages: number;
  chunkCount: number;
  type: string;
}

export class LeaseLostError extends Error {
  constructor() {
    super("the document was changed or deleted while it was being processed");
  }
}

/** Least time between two progress writes. */
const PROGRESS_EVERY_MS = 500;

export async function runPipeline(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResult> {
  // Most documents take a few milliseconds a stage, so a write per stage (each a statement) cost more
  // than the work: progress is written at most twice a second, its facts carried to the next write,
  // and the lease is always checked once right before the store write.
  let lastWrite = Date.now(); // claiming the document has just written "parsing"
  let facts: Parameters<PipelineDeps["report"]>[2] = {};
  // A progress write that finds the lease lost stops the preparation (a long PDF need not run to its end).
  const stop = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal;
  const progressWrite = async (stage: Stage, progress: number) => {
    if ((await deps.report(stage, progress, facts)) === false) stop.abort(new LeaseLostError());
  };
  const prepared: PreparedDocument = await deps.preparer.prepare(
    { bytes: input.bytes, fileName: input.fileName, chunkOptions: input.chunkOptions },
    {
      signal,
      onProgress: (stage, progress, more = {}) => {
        facts = { ...facts, ...more };
        if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
        lastWrite = Date.now();
        // A failed write is not the document's failure: the check before the store write decides.
        void progressWrite(stage, progress).catch(() => {});
      },
    },
  );
  facts = { ...facts, pages: prepared.pages, type: prepared.type, chunkCount: prepared.chunks.length };
  if ((await deps.report("embedding", 1, facts)) === false) throw new LeaseLostError();
  const stored = toStoredChunks(input, prepared);
  if (input.firstWrite) await (deps.append ? deps.append(stored) : deps.store.add(stored));
  else await deps.store.replaceDocument(input.docId, stored);
  return { pages: prepared.pages, chunkCount: prepared.chunks.length, type: prepared.type };
}

function toStoredChunks(input: PipelineInput, prepared: PreparedDocument): StoredChunk[] {
  return prepared.chunks.map((c) => ({
    id: chunkId(input.docId, input.version, c.index),
    kbId: input.kbId,
    docId: input.docId,
    docVersion: input.version,
    fileName: input.fileName,
    chunkIndex: c.index,
    text: c.text,
    headingPath: c.headingPath.join(" > "),
    title: prepared.title ?? "",
    pageStart: c.pageStart ?? null,
    pageEnd: c.pageEnd ?? null,
    charStart: c.start,
    charEnd: c.end,
    contentHash: c.contentHash,
    ...(c.ocr ? { ocr: true } : {}),
    vector: c.vector,
  }));
}
