/** Constants shared by the wink-sif-100d builder and its runtime embedder. */
export const WINK_MODEL_ID = "wink-sif-100d";
export const WINK_MODEL_FILE = "model.onnx";
export const WINK_VOCAB_FILE = "vocab.txt";
export const WINK_DIMENSIONS = 100;
/**
 * Inputs longer than this many vocabulary tokens are truncated. A bag-of-words
 * average has no positional limit, but the padded batch tensor grows with the
 * longest row, so one 50k-character input would cost 100× a normal chunk.
 */
export const WINK_MAX_TOKENS = 512;
/** Graph input/output names. `token_weight` is an initializer that callers may override. */
export const WINK_INPUT_IDS = "input_ids";
export const WINK_ATTENTION_MASK = "attention_mask";
export const WINK_TOKEN_WEIGHT = "token_weight";
export const WINK_OUTPUT = "sentence_embedding";
/** Line 0 of vocab.txt; id 0 pads rows and has weight 0. */
export const WINK_PAD_TOKEN = "[PAD]";
