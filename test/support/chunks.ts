/** Builders for chunks in store and retrieval tests (embedded with the hashing embedder). */
import type { Embedder } from "@/lib/embeddings/types";
import { chunkId, type StoredChunk } from "../../lib/vectorstore/types";

export interface ChunkSpec {
  kbId: string;
  docId: string;
  text: string;
  docVersion?: number;
  chunkIndex?: number;
  fileName?: string;
  headingPath?: string;
  title?: string;
  contentHash?: string;
}

export async function makeChunks(embedder: Embedder, specs: readonly ChunkSpec[]): Promise<StoredChunk[]> {
  const vectors = await embedder.embed(
    specs.map((s) => [s.title ?? "", s.headingPath ?? "", s.text].join(" ")),
    { kind: "passage" },
  );
  return specs.map((s, i) => {
    const docVersion = s.docVersion ?? 1;
    const chunkIndex = s.chunkIndex ?? 0;
    return {
      id: chunkId(s.docId, docVersion, chunkIndex),
      kbId: s.kbId,
      docId: s.docId,
      docVersion,
      fileName: s.fileName ?? `${s.docId}.md`,
      chunkIndex,
      text: s.text,
      headingPath: s.headingPath ?? "",
      title: s.title ?? "",
      pageStart: null,
      pageEnd: null,
      charStart: 0,
      charEnd: s.text.length,
      contentHash: s.contentHash ?? `hash:${s.docId}:${docVersion}:${chunkIndex}`,
      vector: vectors[i]!,
    };
  });
}
