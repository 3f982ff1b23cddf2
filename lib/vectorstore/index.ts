/** Public entry points of the vector store. */
export type { ChunkHit, SearchOptions, StoredChunk, StoredChunkText, VectorStore, VectorStoreStats } from "./types";
export { chunkId } from "./types";
export { openLanceVectorStore, LanceVectorStore } from "./lancedb-store";
export type { LanceVectorStoreOptions } from "./lancedb-store";
export type { VectorIndexKind } from "./lancedb-indexes";
export { tableNameFor, buildSearchText } from "./lancedb-schema";
export { isLocalUri } from "./lancedb-connection";
