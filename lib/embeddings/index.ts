/**
 * Public entry of lib/embeddings. Nothing here loads an ONNX runtime: the
 * factory imports the chosen embedder's runtime only when it is created.
 */
export type { Embedder, EmbedderKind, EmbedderStatus, EmbedOptions, TokenCounter } from "./types";
export { createEmbedder, embedderConfigFromEnv, configuredEmbedderId, getEmbedderStatus, type EmbedderConfig } from "./factory";
export { ensureDefaultEmbeddingModel, buildWinkSifModel, type BuildResult, type BuildLog } from "./build";
export { corpusTokenWeights, type CorpusWeighting } from "./corpus-weights";
export type { StaticOnnxEmbedder, TokenWeights } from "./static";
export { WINK_MODEL_ID } from "./wink-model";
