/**
 * Checks that a GGUF file holds all of its tensor data. node-llama-cpp reports
 * a truncated file only from inside its native loader, which under load can
 * stall instead of failing; reading the tensor table ourselves makes the
 * verdict deterministic.
 */
import { open } from "node:fs/promises";

/** Bytes per block and elements per block for the ggml types we can size; others are skipped. */
const TYPE_SIZES: Record<number, [bytes: number, elements: number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 30: [2, 1],
};
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const MAX_HEADER_READ = 64 * 1024 * 1024;

class Cursor {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  need(n: number) {
    if (this.pos + n > this.buf.length) throw new RangeError("header longer than the bytes read");
  }
  u32() { this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  u64() { this.need(8); const v = Number(this.buf.readBigUInt64LE(this.pos)); this.pos += 8; return v; }
  skip(n: number) { this.need(n); this.pos += n; }
  string() { const n = this.u64(); this.need(n); const s = this.buf.toString("utf8", this.pos, this.pos + n); this.pos += n; return s; }
  value(type: number): number | undefined {
    if (type === 8) return void this.string();
    if (type === 9) {
      const itemType = this.u32();
      const count = this.u64();
      for (let i = 0; i < count; i++) this.value(itemType);
      return undefined;
    }
    const size = SCALAR_BYTES[type];
    if (size === undefined) throw new RangeError(`unknown metadata type ${type}`);
    if (type === 4) return this.u32();
    this.skip(size);
    return undefined;
  }
}

/** The bytes the file must have to hold every tensor, or undefined when the header can't be sized here. */
export async function requiredGgufBytes(file: string, fileSize: number): Promise<number | undefined> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(Math.min(fileSize, MAX_HEADER_READ));
    await handle.read(buf, 0, buf.length, 0);
    const c = new Cursor(buf);
    c.skip(8); // magic, version
    const tensors = c.u64();
    const entries = c.u64();
    let alignment = 32;
    for (let i = 0; i < entries; i++) {
      const key = c.string();
      const v = c.value(c.u32());
      if (key === "general.alignment" && v) alignment = v;
    }
    let end = 0;
    for (let i = 0; i < tensors; i++) {
      c.string();
      const dims = c.u32();
      let elements = 1;
      for (let d = 0; d < dims; d++) elements *= c.u64();
      const size = TYPE_SIZES[c.u32()];
      const offset = c.u64();
      end = Math.max(end, offset + (size ? Math.ceil(elements / size[1]) * size[0] : 0));
    }
    const dataStart = Math.ceil(c.pos / alignment) * alignment;
    return dataStart + end;
  } catch (error) {
    if (error instanceof RangeError) return undefined; // header beyond what we read, or a type we don't know
    throw error;
  } finally {
    await handle.close();
  }
}
