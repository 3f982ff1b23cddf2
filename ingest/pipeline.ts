/**
 * One document through the stages: parse → chunk → embed → store. The store
 * swaps the document's chunks in one commit, so searches never see half a
 * document; each stage reports progress for the live list.
 */
import { passageText } from "@/lib/embeddings/passage-text";
import type { Embedder } from "@/lib/embeddings/types";
import { chunkId, type StoredChunk, type VectorStore } from "@/lib/vectorstore";
import { chunkDocument, type Chunk, type ChunkOptions } from "./chunk";
import { parseDocument, type ParsedDocument, type Parser } from "./parse";

export type Stage = "parsing" | "chunking" | "embedding";

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
  embedder: Embedder;
  store: VectorStore;
  /** Parses the file (default: parseDocument on this thread; a ParsePool runs it on worker threads). */
  parser?: Parser;
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

/** Least time between two progress writes within a stage. */
const PROGRESS_EVERY_MS = 500;

export async function runPipeline(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResult> {
  // Most documents take a few milliseconds a stage, so a write per stage (each a commit) cost more
  // than the work: stages are written at most twice a second, their facts carried to the next
  // write, and the lease is always checked once right before the store write.
  let lastWrite = Date.now(); // claiming the document has just written "parsing"
  let facts: Parameters<PipelineDeps["report"]>[2] = {};
  const report = async (stage: Stage, progress: number, more: typeof facts = {}, force = false) => {
    facts = { ...facts, ...more };
    if (!force && Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = Date.now();
    if ((await deps.report(stage, progress, facts)) === false) throw new LeaseLostError();
  };
  let lastPageReport = 0;
  const parse = deps.parser ? deps.parser.parse.bind(deps.parser) : parseDocument;
  const parsed: ParsedDocument = await parse(
    { bytes: input.bytes, fileName: input.fileName },
    {
      signal: deps.signal,
      onPage: (n, total) => {
        // Reporting every page of a 5,000-page PDF would be 5,000 writes; twice a second is plenty.
        if (Date.now() - lastPageReport > PROGRESS_EVERY_MS) {
          lastPageReport = Date.now();
          void deps.report("parsing", n / Math.max(total, 1), { pages: total });
        }
      },
    },
  );
  await report("chunking", 0, { pages: parsed.pages, type: parsed.type });
  const chunks = chunkDocument(parsed, deps.embedder, input.chunkOptions);
  await report("embedding", 0, { chunkCount: chunks.length });
  const stored = await embedChunks(input, parsed, chunks, deps, report);
  await report("embedding", 1, {}, true);
  if (input.firstWrite) await (deps.append ? deps.append(stored) : deps.store.add(stored));
  else await deps.store.replaceDocument(input.docId, stored);
  return { pages: parsed.pages, chunkCount: chunks.length, type: parsed.type };
}

async function embedChunks(
  input: PipelineInput,
  parsed: ParsedDocument,
  chunks: Chunk[],
  deps: PipelineDeps,
  report: (stage: Stage, progress: number) => Promise<void>,
): Promise<StoredChunk[]> {
  const out: StoredChunk[] = [];
  const batch = deps.embedder.maxBatch;
  for (let i = 0; i < chunks.length; i += batch) {
    deps.signal?.throwIfAborted();
    const slice = chunks.slice(i, i + batch);
    const vectors = await deps.embedder.embed(slice.map((c) => passageText(c.headingPath.join(" > "), c.text)), { kind: "passage" });
    slice.forEach((c, j) =>
      out.push({
        id: chunkId(input.docId, input.version, c.index),
        kbId: input.kbId,
        docId: input.docId,
        docVersion: input.version,
        fileName: input.fileName,
        chunkIndex: c.index,
        text: c.text,
        headingPath: c.headingPath.join(" > "),
        title: parsed.title ?? "",
        pageStart: c.pageStart ?? null,
        pageEnd: c.pageEnd ?? null,
        charStart: c.start,
        charEnd: c.end,
        contentHash: c.contentHash,
        vector: vectors[j]!,
      }),
    );
    await report("embedding", Math.min(1, (i + slice.length) / chunks.length));
  }
  return out;
}
