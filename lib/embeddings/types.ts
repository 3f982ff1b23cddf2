/** What kind of model produced a vector; retrieval weights dense search by it. */
export type EmbedderKind = "static" | "transformer" | "remote";

/** Whether the text is a search query or a stored passage (some models prefix queries). */
export interface EmbedOptions {
  kind: "query" | "passage";
}

/** Counts tokens the way the embedder's own tokenizer does; chunkers bound chunks with it. */
export interface TokenCounter {
  countTokens(text: string): number;
  /**
   * True when counts add up across whitespace: count(a + " " + b) = count(a) + count(b) − count("")
   * for any a and b (a word tokenizer that splits at whitespace, with no merges across it).
   * The chunker then sizes runs of blocks from their counts without counting the runs again.
   */
  readonly additive?: boolean;
}

/** A text embedder: fixed dimensions, a batch limit, L2-normalised output vectors. */
export interface Embedder extends TokenCounter {
  readonly id: string;
  readonly kind: EmbedderKind;
  readonly dimensions: number;
  readonly maxBatch: number;
  /** Longest input in tokens that the model reads; longer input is truncated or windowed. */
  readonly maxTokens: number;
  embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]>;
  close?(): Promise<void>;
}

/** Health of an embedder for /api/health. */
export interface EmbedderStatus {
  ok: boolean;
  id: string;
  kind?: EmbedderKind;
  dimensions?: number;
  message?: string;
}
