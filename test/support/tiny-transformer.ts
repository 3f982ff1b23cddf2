/**
 * A tiny transformer model for tests. No real transformer model is available
 * offline, so tests write a tiny "BERT" that transformers.js loads like any other:
 * a WordPiece tokenizer and an ONNX graph whose last_hidden_state is a per-token
 * embedding lookup.
 */
import fs from "node:fs/promises";
import path from "node:path";
import onnxProto from "onnx-proto";

const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "reset", "password"];
const hidden = [
  [0, 0, 0, 0],
  [0, 0, 0, 0], // [UNK]: unknown words (the bge prompt) add nothing but count as tokens
  [1, 0, 0, 0], // [CLS]
  [0, 1, 0, 0], // [SEP]
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];

function tinyBertOnnx(): Uint8Array {
  const { onnx } = onnxProto;
  const T = onnx.TensorProto.DataType;
  const vi = (name: string, elemType: number, dims: (string | number)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  });
  const table = Float32Array.from(hidden.flat());
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny_bert",
      initializer: [
        { name: "table", dataType: T.FLOAT, dims: [vocab.length, 4], rawData: new Uint8Array(table.buffer) },
        { name: "axis_2", dataType: T.INT64, dims: [1], rawData: new Uint8Array(BigInt64Array.of(2n).buffer) },
      ],
      node: [
        { opType: "Gather", input: ["table", "input_ids"], output: ["h"] },
        { opType: "Cast", input: ["attention_mask"], output: ["m"], attribute: [{ name: "to", type: 2, i: T.FLOAT }] },
        { opType: "Unsqueeze", input: ["m", "axis_2"], output: ["m3"] },
        { opType: "Mul", input: ["h", "m3"], output: ["last_hidden_state"] },
      ],
      input: [vi("input_ids", T.INT64, ["b", "s"]), vi("attention_mask", T.INT64, ["b", "s"])],
      output: [vi("last_hidden_state", T.FLOAT, ["b", "s", 4])],
    },
  }).finish();
}

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
const tokenizerJson = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: vocab.slice(0, 4).map((t, i) => special(i, t)),
  normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
    pair: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }],
    special_tokens: {
      "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] },
      "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] },
    },
  },
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
};

/** Writes the tiny model as `<modelsDir>/<id>/`, with `extra` JSON files beside its own. */
export async function writeTinyModel(modelsDir: string, id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const dir = path.join(modelsDir, id);
  await fs.mkdir(path.join(dir, "onnx"), { recursive: true });
  await fs.writeFile(path.join(dir, "onnx/model.onnx"), tinyBertOnnx());
  await fs.writeFile(path.join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson));
  await fs.writeFile(
    path.join(dir, "tokenizer_config.json"),
    JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: 8, cls_token: "[CLS]", sep_token: "[SEP]", pad_token: "[PAD]", unk_token: "[UNK]" }),
  );
  await fs.writeFile(path.join(dir, "config.json"), JSON.stringify({ model_type: "bert", architectures: ["BertModel"], hidden_size: 4, max_position_embeddings: 8 }));
  for (const [file, content] of Object.entries(extra)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), JSON.stringify(content));
  }
}
