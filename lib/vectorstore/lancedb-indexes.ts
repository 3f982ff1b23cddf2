/** Index configurations for the chunk table (full-text and vector). */
import { Index } from "@lancedb/lancedb";

export type VectorIndexKind = "ivf_pq" | "hnsw_sq" | "ivf_flat";

/**
 * BM25 over search_text: English stemming and stop words, so "refunding"
 * finds "refunds" and a question made only of stop words finds nothing.
 * Positions are not stored: we never run phrase queries, and the index is
 * smaller and faster to build without them.
 */
export function ftsIndex(): Index {
  return Index.fts({
    baseTokenizer: "simple",
    language: "English",
    lowercase: true,
    stem: true,
    removeStopWords: true,
    asciiFolding: true,
    withPosition: false,
  });
}

/**
 * PQ sub-vector count for a dimension. LanceDB's default (dims/16, else
 * dims/8, else 1) degrades to a single sub-vector for 100 dimensions, which
 * wrecks recall, so pick 4- or 5-wide sub-vectors when 8 and 16 do not divide.
 */
export function pqSubVectors(dimensions: number): number {
  for (const width of [16, 8, 4, 5, 2]) {
    if (dimensions % width === 0 && dimensions / width >= 1) return dimensions / width;
  }
  return 1;
}

/** IVF partitions: about sqrt(rows), which balances centroid and list scans. */
export function ivfPartitions(rows: number): number {
  return Math.max(1, Math.min(4096, Math.round(Math.sqrt(rows))));
}

export function buildVectorIndex(kind: VectorIndexKind, rows: number, dimensions: number): Index {
  const distanceType = "cosine" as const;
  switch (kind) {
    case "ivf_pq":
      return Index.ivfPq({
        distanceType,
        numPartitions: ivfPartitions(rows),
        numSubVectors: pqSubVectors(dimensions),
      });
    case "ivf_flat":
      return Index.ivfFlat({ distanceType, numPartitions: ivfPartitions(rows) });
    case "hnsw_sq":
      // One graph for the whole table is fine at our sizes (up to ~1M rows).
      return Index.hnswSq({ distanceType, numPartitions: 1 });
  }
}

/**
 * The vector index's name records its IVF partition count (`vector_ivf_flat_p71`),
 * so a later maintenance run in any process can tell how big the table was at training.
 */
export function vectorIndexName(kind: VectorIndexKind, rows: number): string {
  return kind === "hnsw_sq" ? "vector_hnsw_sq" : `vector_${kind}_p${ivfPartitions(rows)}`;
}

/** True once the table has grown about 4x since the IVF index was trained. */
export function vectorIndexOutgrown(name: string, rows: number): boolean {
  const match = /_p(\d+)$/.exec(name);
  if (!match) return false;
  return ivfPartitions(rows) >= 2 * Number(match[1]);
}
