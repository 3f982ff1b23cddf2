import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeLoraAdapter, type LoraAdapterSpec } from "@/test/support/llm/gguf-lora";
import { ModelFileError } from "./gguf-check";
import type { GgufLayout, GgufTensorInfo } from "./gguf-tensors";
import { adapterNamedIn, checkLoraAdapters, loraProblem } from "./lora-check";
import { TEST_MODEL_PATH } from "@/test/support/models";

const modelPath = TEST_MODEL_PATH;
const dir = mkdtempSync(path.join(os.tmpdir(), "vouch-lora-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tensor = (name: string, ne: number[]): GgufTensorInfo => ({ name, ne, type: 0, offset: 0, bytes: undefined });
const base: GgufLayout = {
  metadata: new Map([["general.architecture", "llama"]]),
  tensors: [tensor("token_embd.weight", [64, 512]), tensor("blk.0.attn_q.weight", [64, 64]), tensor("blk.0.attn_k.weight", [64, 32])],
  dataStart: 0,
};
const lora = (tensors: GgufTensorInfo[], meta: Record<string, string> = {}): GgufLayout => ({
  metadata: new Map(Object.entries({ "general.type": "adapter", "general.architecture": "llama", "adapter.type": "lora", ...meta })),
  tensors,
  dataStart: 0,
});
const pair = (name: string, a: number[], b: number[]) => [tensor(`${name}.lora_a`, a), tensor(`${name}.lora_b`, b)];

describe("loraProblem (llama-adapter.cpp's checks)", () => {
  it("accepts lora_a [in, rank] with lora_b [rank, out], norm tensors, and an embedding LoRA laid out the other way round", () => {
    const ok = lora([...pair("blk.0.attn_k.weight", [64, 4], [4, 32]), tensor("blk.0.attn_norm.weight", [64]), ...pair("token_embd.weight", [4, 512], [4, 64])]);
    expect(loraProblem(ok, base)).toBeUndefined();
  });

  it("names what is wrong, case by case", () => {
    const cases: [GgufLayout, string][] = [
      [lora([], { "general.type": "model" }), 'it is not an adapter (general.type is "model", not "adapter"); list full models with role "generation", not "adapter"'],
      [lora([], { "general.architecture": "qwen2" }), 'it is for architecture "qwen2" but the model is "llama"'],
      [lora([], { "adapter.type": "control_vector" }), 'adapter.type is "control_vector", not "lora"'],
      [lora([tensor("blk.0.attn_q.weight", [64, 64])]), 'tensor "blk.0.attn_q.weight" is neither a .lora_a nor a .lora_b tensor'],
      [lora([...pair("blk.0.attn_q.weight", [64, 4], [4, 64]), tensor("blk.0.attn_q.weight.lora_a", [64, 4])]), 'tensor "blk.0.attn_q.weight.lora_a" appears twice'],
      [lora([tensor("blk.0.attn_q.weight.lora_b", [4, 64])]), 'tensor "blk.0.attn_q.weight" has a .lora_b but no .lora_a'],
      [lora(pair("blk.7.attn_q.weight", [64, 4], [4, 64])), 'it changes tensor "blk.7.attn_q.weight", which the model does not have (was the adapter made for another base model?)'],
      [
        lora(pair("blk.0.attn_k.weight", [64, 4], [4, 64])),
        `tensor "blk.0.attn_k.weight" has lora_a ne [64, 4] and lora_b ne [4, 64], which do not fit the model's ne [64, 32] (was the adapter made for another base model?)`,
      ],
      [
        lora(pair("blk.0.attn_q.weight", [64, 4], [8, 64])),
        `tensor "blk.0.attn_q.weight" has lora_a ne [64, 4] and lora_b ne [8, 64], which do not fit the model's ne [64, 64] (was the adapter made for another base model?)`,
      ],
    ];
    for (const [adapter, problem] of cases) expect(loraProblem(adapter, base)).toBe(problem);
  });

  it("without the base's table, still checks what the adapter alone shows", () => {
    expect(loraProblem(lora(pair("blk.7.attn_q.weight", [64, 4], [4, 64])), undefined)).toBeUndefined();
    expect(loraProblem(lora([tensor("x.lora_a", [1, 1])]), undefined)).toBe('tensor "x" has a .lora_a but no .lora_b');
  });
});

describe("checkLoraAdapters on files", () => {
  const spec: LoraAdapterSpec = {
    architecture: "llama",
    targets: [{ name: "blk.0.attn_q.weight", inFeatures: 64, outFeatures: 64 }],
    rank: 2,
    alpha: 2,
    seed: 1,
    magnitude: 0.1,
  };
  const file = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it("passes a good adapter", async () => {
    await expect(checkLoraAdapters(modelPath, [{ id: "good", path: file("good.gguf", encodeLoraAdapter(spec)) }])).resolves.toBeUndefined();
  });

  it("names the adapter for a missing, non-GGUF, truncated, full-model or mismatched file", async () => {
    const missing = path.join(dir, "missing.gguf");
    const magic = file("magic.gguf", Buffer.alloc(4096, 3));
    const good = encodeLoraAdapter(spec);
    const cut = file("cut.gguf", good.subarray(0, good.length - 100));
    const wrongArch = file("arch.gguf", encodeLoraAdapter({ ...spec, architecture: "qwen2" }));
    const cases: [{ id?: string; path: string }, string][] = [
      [{ id: "gone", path: missing }, `LoRA adapter "gone" (${missing}) cannot be used: Model file not found`],
      [{ id: "junk", path: magic }, `LoRA adapter "junk" (${magic}) cannot be used: Not a GGUF model file (bad magic bytes)`],
      [{ path: cut }, `LoRA adapter ${cut} cannot be used: Model file is truncated: its tensors need ${good.length} bytes but the file has ${good.length - 100}; download it again`],
      [
        { id: "whole-model", path: modelPath },
        `LoRA adapter "whole-model" (${modelPath}) cannot be used with model ${modelPath}: it is not an adapter (general.type is missing, not "adapter"); list full models with role "generation", not "adapter"`,
      ],
      [{ id: "qwen-lora", path: wrongArch }, `LoRA adapter "qwen-lora" (${wrongArch}) cannot be used with model ${modelPath}: it is for architecture "qwen2" but the model is "llama"`],
    ];
    for (const [adapter, message] of cases) {
      const check = checkLoraAdapters(modelPath, [{ id: "good", path: file("good.gguf", good) }, adapter]);
      await expect(check).rejects.toThrow(ModelFileError);
      await expect(check).rejects.toThrow(message);
    }
  });
});

describe("adapterNamedIn", () => {
  it("finds the adapter a node-llama-cpp load error names", () => {
    const adapters = [{ id: "a", path: "/m/a.gguf" }, { id: "b", path: "/m/b.gguf" }];
    expect(adapterNamedIn(new Error('Failed to initialize LoRA adapter "/m/b.gguf"'), adapters)).toEqual({ id: "b", path: "/m/b.gguf" });
    expect(adapterNamedIn(new Error("Failed to create context"), adapters)).toBeUndefined();
  });
});
