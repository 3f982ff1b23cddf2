/**
 * Reads a GGUF file's header and tensor table. node-llama-cpp reports a truncated
 * file or a mismatched LoRA adapter only from inside its native loader (which under
 * load can stall instead of failing, and explains itself only in its log); reading
 * the table ourselves makes those verdicts deterministic.
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

/** One entry of the tensor table. */
export interface GgufTensorInfo {
  name: string;
  /** ggml order: ne[0] is the row length. */
  ne: number[];
  /** ggml type id (0 = F32, 1 = F16, ...). */
  type: number;
  /** Bytes from the start of the data section. */
  offset: number;
  /** Data bytes, or undefined for a type we can't size. */
  bytes: number | undefined;
}

export interface GgufLayout {
  /** String, u32, i32 and f32 metadata values; arrays and other types are skipped. */
  metadata: Map<string, string | number>;
  tensors: GgufTensorInfo[];
  /** File offset where tensor data begins. */
  dataStart: number;
}

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
  value(type: number): string | number | undefined {
    if (type === 8) return this.string();
    if (type === 9) {
      const itemType = this.u32();
      const count = this.u64();
      for (let i = 0; i < count; i++) this.value(itemType);
      return undefined;
    }
    const size = SCALAR_BYTES[type];
    if (size === undefined) throw new RangeError(`unknown metadata type ${type}`);
    this.need(size);
    const at = this.pos;
    this.pos += size;
    if (type === 4) return this.buf.readUInt32LE(at);
    if (type === 5) return this.buf.readInt32LE(at);
    if (type === 6) return this.buf.readFloatLE(at);
    return undefined;
  }
}

/** The header and tensor table of a GGUF file, or undefined when the header can't be read here. */
export async function readGgufLayout(file: string, fileSize: number): Promise<GgufLayout | undefined> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(Math.min(fileSize, MAX_HEADER_READ));
    await handle.read(buf, 0, buf.length, 0);
    const c = new Cursor(buf);
    c.skip(8); // magic, version
    const tensorCount = c.u64();
    const entries = c.u64();
    const metadata = new Map<string, string | number>();
    for (let i = 0; i < entries; i++) {
      const key = c.string();
      const v = c.value(c.u32());
      if (v !== undefined) metadata.set(key, v);
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = c.string();
      const ne = Array.from({ length: c.u32() }, () => c.u64());
      const type = c.u32();
      const size = TYPE_SIZES[type];
      const elements = ne.reduce((a, b) => a * b, 1);
      tensors.push({ name, ne, type, offset: c.u64(), bytes: size ? Math.ceil(elements / size[1]) * size[0] : undefined });
    }
    const alignment = metadata.get("general.alignment");
    const align = typeof alignment === "number" && alignment > 0 ? alignment : 32;
    return { metadata, tensors, dataStart: Math.ceil(c.pos / align) * align };
  } catch (error) {
    if (error instanceof RangeError) return undefined; // header beyond what we read, or a type we don't know
    throw error;
  } finally {
    await handle.close();
  }
}

/** The bytes the file must have to hold every tensor, or undefined when the header can't be sized here. */
export async function requiredGgufBytes(file: string, fileSize: number): Promise<number | undefined> {
  const layout = await readGgufLayout(file, fileSize);
  if (!layout) return undefined;
  return layout.dataStart + Math.max(0, ...layout.tensors.map((t) => t.offset + (t.bytes ?? 0)));
}
