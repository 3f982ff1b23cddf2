/**
 * Table layout for chunks in LanceDB: names, Arrow schema, and the mapping
 * between StoredChunk objects and rows. Pure, so it is tested without a database.
 */
import { Bool, Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from "apache-arrow";
import type { ChunkHit, StoredChunk } from "./types";

/** Columns a search reads back (everything but the vector and search_text). */
export const HIT_COLUMNS = [
  "id",
  "kb_id",
  "doc_id",
  "doc_version",
  "file_name",
  "chunk_index",
  "text",
  "heading_path",
  "title",
  "page_start",
  "page_end",
  "char_start",
  "char_end",
  "content_hash",
  "ocr",
] as const;

/** One table per embedding model and dimension, e.g. `chunks__wink_sif_100d__100`. */
export function tableNameFor(embedderId: string, dimensions: number): string {
  if (!Number.isInteger(dimensions) || dimensions <= 0) throw new Error(`bad vector dimensions: ${dimensions}`);
  const slug = embedderId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (slug === "") throw new Error(`embedder id "${embedderId}" has no usable characters for a table name`);
  return `chunks__${slug}__${dimensions}`;
}

export function chunkSchema(dimensions: number): Schema {
  const str = (name: string) => new Field(name, new Utf8(), false);
  const int = (name: string, nullable = false) => new Field(name, new Int32(), nullable);
  return new Schema([
    str("id"),
    str("kb_id"),
    str("doc_id"),
    int("doc_version"),
    str("file_name"),
    int("chunk_index"),
    str("text"),
    str("heading_path"),
    str("title"),
    int("page_start", true),
    int("page_end", true),
    int("char_start"),
    int("char_end"),
    str("content_hash"),
    new Field("ocr", new Bool(), true),
    // What BM25 indexes: title and heading path ahead of the text, so a
    // chunk deep in a section still matches the words of its headings.
    str("search_text"),
    new Field("vector", new FixedSizeList(dimensions, new Field("item", new Float32(), true)), false),
  ]);
}

/** The words of a file name and its folders, without the extension ("vhosts/name-based.html" → "vhosts name based"). */
export function fileNameWords(fileName: string): string {
  return fileName
    .replace(/\.[a-z0-9]{1,5}$/i, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(" ");
}

/**
 * The text the full-text index sees for a chunk: file name words, title and
 * heading path, then the text. File names are usually chosen to say what a
 * document is about ("refunds-and-returns.pdf"), so their words rank a
 * document that never repeats them in its text (`npm run eval:retrieval --
 * --variants` compares the layouts).
 */
export function buildSearchText(chunk: Pick<StoredChunk, "title" | "headingPath" | "text" | "fileName">): string {
  const parts: string[] = [];
  const name = fileNameWords(chunk.fileName);
  if (name !== "") parts.push(name);
  const title = chunk.title.trim();
  const headings = chunk.headingPath.trim();
  if (title !== "" && !headings.startsWith(title)) parts.push(title);
  if (headings !== "") parts.push(headings);
  parts.push(chunk.text);
  return parts.join("\n");
}

export type ChunkRow = Record<string, unknown>;

export function toRow(chunk: StoredChunk, dimensions: number): ChunkRow {
  if (chunk.vector.length !== dimensions) {
    throw new Error(`chunk ${chunk.id}: vector has ${chunk.vector.length} dimensions, table expects ${dimensions}`);
  }
  return {
    id: chunk.id,
    kb_id: chunk.kbId,
    doc_id: chunk.docId,
    doc_version: chunk.docVersion,
    file_name: chunk.fileName,
    chunk_index: chunk.chunkIndex,
    text: chunk.text,
    heading_path: chunk.headingPath,
    title: chunk.title,
    page_start: chunk.pageStart,
    page_end: chunk.pageEnd,
    char_start: chunk.charStart,
    char_end: chunk.charEnd,
    content_hash: chunk.contentHash,
    ocr: chunk.ocr === true,
    search_text: buildSearchText(chunk),
    vector: Array.from(chunk.vector),
  };
}

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/** A result row (HIT_COLUMNS plus a score) back to a ChunkHit. */
export function fromRow(row: ChunkRow, score: number, rank: number): ChunkHit {
  return {
    id: str(row.id),
    kbId: str(row.kb_id),
    docId: str(row.doc_id),
    docVersion: num(row.doc_version),
    fileName: str(row.file_name),
    chunkIndex: num(row.chunk_index),
    text: str(row.text),
    headingPath: str(row.heading_path),
    title: str(row.title),
    pageStart: numOrNull(row.page_start),
    pageEnd: numOrNull(row.page_end),
    charStart: num(row.char_start),
    charEnd: num(row.char_end),
    contentHash: str(row.content_hash),
    ...(row.ocr === true ? { ocr: true } : {}),
    score,
    rank,
  };
}

/** A SQL string literal (single quotes doubled). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `column IN ('a', 'b')`; callers must not pass an empty list. */
export function sqlIn(column: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error("sqlIn needs at least one value");
  return `${column} IN (${[...new Set(values)].map(sqlString).join(", ")})`;
}

/**
 * Words only, so user input never reaches the full-text query parser as
 * syntax; the index tokenizer splits on the same boundaries anyway.
 */
export function sanitizeTextQuery(query: string, maxChars = 1000): string {
  return query
    .slice(0, maxChars)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
