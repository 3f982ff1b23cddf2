export { chunkDocument, chunkOptionsSchema, DEFAULT_CHUNK_OPTIONS, sha256Hex, type Chunk, type ChunkOptions } from "./chunk";
export { splitToFit, sentenceSpans, wordSpans, lineSpans, type Span } from "./split";
