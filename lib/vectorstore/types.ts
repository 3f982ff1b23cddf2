/**
 * The vector store contract. The store keeps already-embedded chunks and
 * searches them; it never chunks or embeds (ingest/ and lib/embeddings/ do).
 */

/** One chunk as written to the store: text, provenance and its embedding. */
export interface StoredChunk {
  /** Unique row id; `chunkId(docId, docVersion, chunkIndex)` makes one. */
  id: string;
  kbId: string;
  docId: string;
  /** Version of the document these chunks belong to (Postgres holds the current one). */
  docVersion: number;
  fileName: string;
  chunkIndex: number;
  text: string;
  /** Headings from the document root down to this chunk, joined with " > ". */
  headingPath: string;
  /** Document title ("" when the document has none). */
  title: string;
  /** 1-based first and last page, or null for formats without pages. */
  pageStart: number | null;
  pageEnd: number | null;
  /** Character offsets into the document's extracted text. */
  charStart: number;
  charEnd: number;
  contentHash: string;
  /** Read by OCR from a scanned page (check against the original); absent means false. */
  ocr?: boolean;
  vector: Float32Array | readonly number[];
}

export type StoredChunkText = Omit<StoredChunk, "vector">;

/** A chunk as returned by a search (no vector), with its score in that search. */
export interface ChunkHit extends Omit<StoredChunk, "vector"> {
  /**
   * Vector search: cosine similarity (1 − cosine distance, higher is closer).
   * Text search: the BM25 score (unbounded, higher is better).
   */
  score: number;
  /** 1-based position in this search's result list. */
  rank: number;
}

/** Which knowledge bases a search may read and how many hits it returns. */
export interface SearchOptions {
  /** Knowledge bases the caller may read; an empty list returns nothing. */
  kbIds: readonly string[];
  limit: number;
}

/** Row counts and index state, for health pages and benchmarks. */
export interface VectorStoreStats {
  table: string;
  rows: number;
  indexes: { name: string; type: string; indexedRows: number; unindexedRows: number }[];
}

/** Keeps embedded chunks per knowledge base and searches them by vector and by BM25. */
export interface VectorStore {
  /** Name of the table this store writes (one per embedding model and dimension). */
  readonly tableName: string;
  readonly dimensions: number;
  /** Append chunks (use replaceDocument to write a document's chunks atomically). */
  add(chunks: readonly StoredChunk[]): Promise<void>;
  /** Remove every chunk of a document (all versions); returns the rows removed. */
  deleteDocument(docId: string): Promise<number>;
  /** Remove every chunk of a knowledge base; returns the rows removed. */
  deleteKnowledgeBase(kbId: string): Promise<number>;
  /**
   * Swap a document's chunks for `chunks` in one commit: a concurrent search
   * sees either the old rows or the new ones, never a mix or nothing.
   */
  replaceDocument(docId: string, chunks: readonly StoredChunk[]): Promise<void>;
  /** Nearest chunks to a query vector within the caller's knowledge bases. */
  searchVector(vector: Float32Array | readonly number[], options: SearchOptions): Promise<ChunkHit[]>;
  /** BM25 full-text search (title and heading path count as text) within the caller's knowledge bases. */
  searchText(query: string, options: SearchOptions): Promise<ChunkHit[]>;
  /** A document's chunks without their vectors, in order (to embed them again with another model). */
  readDocument(docId: string): Promise<StoredChunkText[]>;
  /** Distinct document ids with their stored versions (for reconciliation with Postgres). */
  listDocumentIds(options?: { kbId?: string }): Promise<{ docId: string; kbId: string; versions: number[] }[]>;
  /** Number of chunk rows, optionally in one knowledge base. */
  count(options?: { kbId?: string }): Promise<number>;
  /**
   * Create missing indexes (full-text, scalar, and the vector index once the
   * table passes its size threshold) and fold unindexed rows into them.
   */
  ensureIndexes(options?: { force?: boolean }): Promise<VectorStoreStats>;
  stats(): Promise<VectorStoreStats>;
  close(): Promise<void>;
}

/** Row id for a chunk: stable for a (document, version, position). */
export function chunkId(docId: string, docVersion: number, chunkIndex: number): string {
  return `${docId}:${docVersion}:${chunkIndex}`;
}
