/**
 * The CPU-bound part of ingesting a document: parse → chunk → embed, with no
 * I/O of its own. It runs on this thread (prepareDocument) or on the prepare
 * pool's threads (pool.ts), so on a machine with several cores documents are
 * prepared side by side while the worker's own thread only writes.
 */
import { chunkDocument, type Chunk, type ChunkOptions } from "@/ingest/chunk";
import { parseDocument } from "@/ingest/parse";
import { passageText } from "@/lib/embeddings/passage-text";
import type { Embedder } from "@/lib/embeddings/types";

export type Stage = "parsing" | "chunking" | "embedding";

export interface PrepareInput {
  fileName: string;
  bytes: Uint8Array;
  chunkOptions?: Partial<ChunkOptions>;
}

export interface PrepareOptions {
  signal?: AbortSignal;
  /** Called as work advances (pages while parsing, a share of the chunks while embedding). */
  onProgress?(stage: Stage, progress: number, facts?: { pages?: number; chunkCount?: number; type?: string }): void;
}

export interface PreparedChunk extends Chunk {
  vector: Float32Array;
}

export interface PreparedDocument {
  type: string;
  pages: number;
  title?: string;
  chunks: PreparedChunk[];
}

/** Prepares documents: on this thread (prepareDocument) or on worker threads (createPreparePool). */
export interface Preparer {
  /** The embedder's id: vectors come from this model. */
  readonly embedderId: string;
  prepare(input: PrepareInput, options?: PrepareOptions): Promise<PreparedDocument>;
}

export async function prepareDocument(input: PrepareInput, embedder: Embedder, options: PrepareOptions = {}): Promise<PreparedDocument> {
  const { signal, onProgress } = options;
  const parsed = await parseDocument({ bytes: input.bytes, fileName: input.fileName }, { signal, onPage: (n, total) => onProgress?.("parsing", n / Math.max(total, 1), { pages: total }) });
  onProgress?.("chunking", 0, { pages: parsed.pages, type: parsed.type });
  const chunks = chunkDocument(parsed, embedder, input.chunkOptions);
  onProgress?.("embedding", 0, { chunkCount: chunks.length });
  const out: PreparedChunk[] = [];
  for (let i = 0; i < chunks.length; i += embedder.maxBatch) {
    signal?.throwIfAborted();
    const slice = chunks.slice(i, i + embedder.maxBatch);
    const vectors = await embedder.embed(slice.map((c) => passageText(c.headingPath.join(" > "), c.text)), { kind: "passage" });
    slice.forEach((c, j) => out.push({ ...c, vector: vectors[j]! }));
    onProgress?.("embedding", Math.min(1, (i + slice.length) / chunks.length));
  }
  const doc: PreparedDocument = { type: parsed.type, pages: parsed.pages, chunks: out };
  if (parsed.title !== undefined) doc.title = parsed.title;
  return doc;
}

/** A Preparer on this thread, with the given embedder. */
export function inlinePreparer(embedder: Embedder): Preparer {
  return { embedderId: embedder.id, prepare: (input, options) => prepareDocument(input, embedder, options) };
}
