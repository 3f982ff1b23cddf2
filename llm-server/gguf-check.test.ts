import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkGgufHeader } from "./gguf-check";
import { TEST_MODEL_PATH } from "@/test/support/models";

const dir = mkdtempSync(path.join(os.tmpdir(), "vouch-gguf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function header(version: number, tensors: bigint, entries: bigint, padding = 100): Buffer {
  const b = Buffer.alloc(24 + padding);
  b.write("GGUF", 0, "latin1");
  b.writeUInt32LE(version, 4);
  b.writeBigUInt64LE(tensors, 8);
  b.writeBigUInt64LE(entries, 16);
  return b;
}

describe("checkGgufHeader", () => {
  it("accepts the real test model", async () => {
    await expect(checkGgufHeader(TEST_MODEL_PATH)).resolves.toBeUndefined();
  });

  it("names each kind of unusable file", async () => {
    const missing = path.join(dir, "missing.gguf");
    await expect(checkGgufHeader(missing)).rejects.toThrow(`Model file not found: ${missing}`);
    await expect(checkGgufHeader(dir)).rejects.toThrow(`Model path is not a file: ${dir}`);
    const tiny = file("tiny.gguf", Buffer.from("GGUF"));
    await expect(checkGgufHeader(tiny)).rejects.toThrow(`Model file is too small to be a GGUF model (4 bytes): ${tiny}`);
    const magic = file("magic.gguf", Buffer.alloc(64, 1));
    await expect(checkGgufHeader(magic)).rejects.toThrow(`Not a GGUF model file (bad magic bytes): ${magic}`);
    const version = file("version.gguf", header(9, 1n, 1n));
    await expect(checkGgufHeader(version)).rejects.toThrow(`Unsupported GGUF version 9: ${version}`);
    // A header whose counts cannot fit the file: node-llama-cpp's reader would wait forever on it.
    const counts = file("counts.gguf", header(3, 1n << 40n, 5n));
    await expect(checkGgufHeader(counts)).rejects.toThrow(`Model file is corrupt or incomplete (header counts exceed the file size): ${counts}`);
  });
});
