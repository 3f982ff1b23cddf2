import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransformersEmbedder, inspectModelFolder, poolingFor, prefixesFor } from "./transformers";

// No real transformer model is available offline, so the tests write a tiny
// "BERT" that transformers.js loads like any other: a WordPiece tokenizer and
// an ONNX graph whose last_hidden_state is a per-token embedding lookup.
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

let modelsDir: string;

async function writeTinyModel(id: string, extra: Record<string, unknown> = {}): Promise<void> {
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

beforeAll(async () => {
  modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), "vouch-tx-"));
  await writeTinyModel("tiny-minilm");
  await writeTinyModel("tiny-bge-small-en");
  await writeTinyModel("tiny-e5-cls", { "1_Pooling/config.json": { pooling_mode_cls_token: true, pooling_mode_mean_tokens: false } });
});

afterAll(async () => {
  await fs.rm(modelsDir, { recursive: true, force: true });
});

const rounded = (v: Float32Array | undefined) => Array.from(v ?? [], (x) => Number(x.toFixed(5)));

describe("model profiles", () => {
  it("uses the query prefixes from the model cards", () => {
    expect(prefixesFor("BAAI/bge-small-en-v1.5").queryPrefix).toBe("Represent this sentence for searching relevant passages: ");
    expect(prefixesFor("bge-base-zh-v1.5").queryPrefix).toBe("为这个句子生成表示以用于检索相关文章：");
    expect(prefixesFor("intfloat/e5-small-v2")).toEqual({ queryPrefix: "query: ", passagePrefix: "passage: " });
    expect(prefixesFor("nomic-embed-text-v1.5")).toEqual({ queryPrefix: "search_query: ", passagePrefix: "search_document: " });
    expect(prefixesFor("all-MiniLM-L6-v2")).toEqual({ queryPrefix: "", passagePrefix: "" });
  });

  it("takes pooling from 1_Pooling/config.json, else from the family", () => {
    expect(poolingFor("bge-small-en-v1.5")).toBe("cls");
    expect(poolingFor("all-MiniLM-L6-v2")).toBe("mean");
    expect(poolingFor("all-MiniLM-L6-v2", { pooling_mode_cls_token: true })).toBe("cls");
    expect(poolingFor("bge-small-en-v1.5", { pooling_mode_mean_tokens: true, pooling_mode_cls_token: false })).toBe("mean");
  });

  it("names the missing files and the pull command when a model is not installed", async () => {
    await expect(inspectModelFolder(modelsDir, "bge-small-en-v1.5")).rejects.toThrow(
      /not installed in .*bge-small-en-v1\.5: missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx \(or onnx\/model\.onnx\)\. Run `npm run models:pull -- bge-small-en-v1\.5`/,
    );
  });
});

describe("TransformersEmbedder on a tiny local model", () => {
  it("mean-pools, normalises and truncates to the tokenizer's limit", async () => {
    const e = await TransformersEmbedder.load({ modelsDir, modelId: "tiny-minilm", maxBatch: 2 });
    try {
      expect([e.kind, e.dimensions, e.maxTokens, e.profile.pooling]).toEqual(["transformer", 4, 8, "mean"]);
      expect(e.countTokens("reset password")).toBe(4); // [CLS] reset password [SEP]
      const [a, b, c] = await e.embed(["reset password", "Reset", "reset ".repeat(50)], { kind: "passage" });
      expect(rounded(a)).toEqual([0.5, 0.5, 0.5, 0.5]);
      const n = Math.sqrt(3);
      expect(rounded(b)).toEqual([1 / n, 1 / n, 1 / n, 0].map((x) => Number(x.toFixed(5))));
      // Truncated to the first 8 tokens: [CLS] + 7 × reset (transformers.js 2 cuts after adding [SEP], dropping it).
      const m = Math.sqrt(50);
      expect(rounded(c)).toEqual([1 / m, 0, 7 / m, 0].map((x) => Number(x.toFixed(5))));
    } finally {
      await e.close();
    }
  });

  it("uses CLS pooling and the bge query prefix", async () => {
    const bge = await TransformersEmbedder.load({ modelsDir, modelId: "tiny-bge-small-en" });
    try {
      expect(bge.profile).toEqual({ pooling: "cls", queryPrefix: "Represent this sentence for searching relevant passages: ", passagePrefix: "" });
      const [q] = await bge.embed(["reset password"], { kind: "query" });
      expect(rounded(q)).toEqual([1, 0, 0, 0]);
    } finally {
      await bge.close();
    }
    const e5 = await TransformersEmbedder.load({ modelsDir, modelId: "tiny-e5-cls" });
    expect(e5.profile.pooling).toBe("cls");
    await e5.close();
  });
});
