/**
 * Public entry of lib/embeddings. Nothing here loads an ONNX runtime or the
 * model builder: the factory imports what the chosen embedder needs when it
 * is created.
 */
export type { Embedder, EmbedderKind, EmbedderStatus, EmbedOptions, TokenCounter } from "./types";
export { createEmbedder, embedderConfigFromEnv, configuredEmbedderId, getEmbedderStatus, type EmbedderConfig } from "./factory";
// The model builder is imported from "@/lib/embeddings/build" by the scripts that build.
export type { BuildResult, BuildLog } from "./build";
export { corpusTokenWeights, type CorpusWeighting } from "./corpus-weights";
export type { StaticOnnxEmbedder, TokenWeights } from "./static";
export { WINK_MODEL_ID } from "./wink-model";
