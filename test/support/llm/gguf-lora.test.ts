import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGgufLayout } from "@/llm-server/gguf-tensors";
import { encodeLoraAdapter, loraTargetsOf, writeLoraAdapter, type LoraAdapterSpec } from "./gguf-lora";
import { encodeGguf, toFloat16Bits } from "./gguf-writer";
import { TEST_MODEL_PATH } from "@/test/support/models";

const modelPath = TEST_MODEL_PATH;
const dir = mkdtempSync(path.join(os.tmpdir(), "vouch-gguf-lora-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("encodeGguf", () => {
  it("writes a v3 header, metadata, tensor infos and 32-byte-aligned data that our reader reads back", async () => {
    const bytes = encodeGguf(
      { "general.type": { type: "string", value: "adapter" }, "x.alpha": { type: "f32", value: 0.5 }, "x.n": { type: "u32", value: 7 }, "x.on": { type: "bool", value: true } },
      [
        { name: "a", ne: [3], type: "f32", data: Float32Array.of(1, 2, 3) },
        { name: "b", ne: [2, 2], type: "f16", data: Float32Array.of(1, -2, 0.5, 0) },
      ],
    );
    expect(bytes.toString("latin1", 0, 4)).toBe("GGUF");
    expect(bytes.readUInt32LE(4)).toBe(3);
    expect(bytes.readBigUInt64LE(8)).toBe(2n);
    expect(bytes.readBigUInt64LE(16)).toBe(4n);

    const file = path.join(dir, "tiny.gguf");
    writeFileSync(file, bytes);
    const layout = await readGgufLayout(file, bytes.length);
    expect(layout).toBeDefined();
    expect(Object.fromEntries(layout!.metadata)).toEqual({ "general.type": "adapter", "x.alpha": 0.5, "x.n": 7 });
    expect(layout!.dataStart % 32).toBe(0);
    expect(layout!.tensors).toEqual([
      { name: "a", ne: [3], type: 0, offset: 0, bytes: 12 },
      { name: "b", ne: [2, 2], type: 1, offset: 32, bytes: 8 },
    ]);
    expect(bytes.length).toBe(layout!.dataStart + 32 + 32);
    const a = layout!.dataStart;
    expect([bytes.readFloatLE(a), bytes.readFloatLE(a + 4), bytes.readFloatLE(a + 8)]).toEqual([1, 2, 3]);
    const b = a + 32;
    expect([0, 2, 4, 6].map((o) => bytes.readUInt16LE(b + o))).toEqual([0x3c00, 0xc000, 0x3800, 0x0000]);
  });

  it("rejects a tensor whose data does not match its shape", () => {
    expect(() => encodeGguf({}, [{ name: "t", ne: [2, 2], type: "f32", data: new Float32Array(3) }])).toThrow(
      "tensor t: 3 values for shape [2, 2]",
    );
    expect(() => encodeGguf({}, [{ name: "t", ne: [0], type: "f32", data: new Float32Array(0) }])).toThrow(
      "tensor t: ne must be 1 to 4 positive integers, got [0]",
    );
  });
});

describe("toFloat16Bits", () => {
  it("rounds to the nearest half, ties to even, with subnormals, overflow and NaN (values checked against numpy)", () => {
    const cases: [number, number][] = [
      [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [65519, 0x7bff], [65520, 0x7c00],
      [2 ** -24, 0x0001], [2 ** -25, 0x0000], [2 ** -25 * 1.0001, 0x0001], [1e-8, 0x0000], [6.1e-5, 0x03ff], [3e-5, 0x01f7],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [-0, 0x8000], [Infinity, 0x7c00], [NaN, 0x7e00],
    ];
    for (const [value, bits] of cases) expect([value, toFloat16Bits(value)]).toEqual([value, bits]);
  });
});

describe("LoRA adapters for stories260K", () => {
  const spec = (over: Partial<LoraAdapterSpec> = {}): LoraAdapterSpec => ({
    architecture: "llama",
    targets: [{ name: "blk.0.attn_k.weight", inFeatures: 64, outFeatures: 32 }],
    rank: 4,
    alpha: 8,
    seed: 7,
    magnitude: 0.2,
    ...over,
  });

  it("finds the base weights to target, with their [in, out] shapes", async () => {
    const targets = await loraTargetsOf(modelPath, /^(output|blk\.0\.attn_[qkv])\.weight$/);
    expect(targets).toEqual([
      { name: "output.weight", inFeatures: 64, outFeatures: 512 },
      { name: "blk.0.attn_q.weight", inFeatures: 64, outFeatures: 64 },
      { name: "blk.0.attn_k.weight", inFeatures: 64, outFeatures: 32 },
      { name: "blk.0.attn_v.weight", inFeatures: 64, outFeatures: 32 },
    ]);
  });

  it("lays out lora_a as [in, rank] and lora_b as [rank, out] with the adapter metadata llama.cpp requires", async () => {
    const written = await writeLoraAdapter(path.join(dir, "k.gguf"), spec());
    const bytes = readFileSync(written.path);
    expect(written).toMatchObject({ size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    const layout = (await readGgufLayout(written.path, bytes.length))!;
    expect(Object.fromEntries(layout.metadata)).toEqual({
      "general.architecture": "llama",
      "general.type": "adapter",
      "general.name": "test-lora",
      "adapter.type": "lora",
      "adapter.lora.alpha": 8,
    });
    expect(layout.tensors).toEqual([
      { name: "blk.0.attn_k.weight.lora_a", ne: [64, 4], type: 0, offset: 0, bytes: 1024 },
      { name: "blk.0.attn_k.weight.lora_b", ne: [4, 32], type: 0, offset: 1024, bytes: 512 },
    ]);
  });

  it("is deterministic per seed, and magnitude 0 gives an all-zero B", () => {
    const hash = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(hash(encodeLoraAdapter(spec()))).toBe(hash(encodeLoraAdapter(spec())));
    expect(hash(encodeLoraAdapter(spec({ seed: 8 })))).not.toBe(hash(encodeLoraAdapter(spec())));
    const zero = encodeLoraAdapter(spec({ magnitude: 0 }));
    const bStart = zero.length - 512;
    expect(zero.subarray(bStart).every((byte) => byte === 0)).toBe(true);
    expect(zero.subarray(bStart - 1024, bStart).some((byte) => byte !== 0)).toBe(true);
  });
});
