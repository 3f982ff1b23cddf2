/** ChunkHit builder for pure retrieval tests. */
import type { ChunkHit } from "@/lib/vectorstore/types";

export function hit(id: string, score: number, extra: Partial<ChunkHit> = {}): ChunkHit {
  return {
    id,
    kbId: "A",
    docId: id,
    docVersion: 1,
    fileName: `${id}.md`,
    chunkIndex: 0,
    text: `text of ${id}`,
    headingPath: "",
    title: "",
    pageStart: null,
    pageEnd: null,
    charStart: 0,
    charEnd: 10,
    contentHash: `h-${id}`,
    score,
    rank: 0,
    ...extra,
  };
}
