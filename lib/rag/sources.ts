/** The sources of an answer as stored with the message: the chunk text as it was used, so citations survive document updates. */
import type { RetrievedChunk } from "@/lib/retrieval";

export interface SourceSnapshot {
  /** The number the answer cites it by: [n]. */
  n: number;
  chunkId: string;
  kbId: string;
  docId: string;
  docVersion: number;
  fileName: string;
  title: string;
  headingPath: string;
  pageStart: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
  /** Read by OCR from a scanned page (absent in answers stored before OCR existed). */
  ocr?: boolean;
  text: string;
  scores: { fused: number; vector: number | null; text: number | null; vectorRank: number | null; textRank: number | null; relevance: number };
}

export function snapshotSources(chunks: readonly (RetrievedChunk & { relevance: number })[]): SourceSnapshot[] {
  return chunks.map((c, i) => ({
    n: i + 1,
    chunkId: c.id,
    kbId: c.kbId,
    docId: c.docId,
    docVersion: c.docVersion,
    fileName: c.fileName,
    title: c.title,
    headingPath: c.headingPath,
    pageStart: c.pageStart,
    pageEnd: c.pageEnd,
    charStart: c.charStart,
    charEnd: c.charEnd,
    ...(c.ocr ? { ocr: true } : {}),
    text: c.text,
    scores: { fused: c.fusedScore, vector: c.vectorScore, text: c.textScore, vectorRank: c.vectorRank, textRank: c.textRank, relevance: c.relevance },
  }));
}
