import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyModel as writeModel } from "@/test/support/tiny-transformer";
import { TransformersEmbedder, inspectModelFolder, poolingFor, prefixesFor } from "./transformers";

let modelsDir: string;
const writeTinyModel = (id: string, extra: Record<string, unknown> = {}) => writeModel(modelsDir, id, extra);

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
