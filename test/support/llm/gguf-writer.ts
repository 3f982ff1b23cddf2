/**
 * A small GGUF v3 writer for tests: enough to build real LoRA adapters for the
 * test model, since none can be downloaded here. Layout follows ggml's gguf.cpp:
 * header, metadata, tensor infos, padding to the alignment, then each tensor's
 * data padded likewise (gguf.cpp rejects offsets that are not exactly packed so).
 */

/** Metadata values we write; the GGUF value type is explicit because 1 could be u32 or f32. */
export type GgufValue =
  | { type: "string"; value: string }
  | { type: "u32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean };

export type GgmlType = "f32" | "f16";

export interface GgufTensor {
  name: string;
  /** ggml order: ne[0] is the fastest-varying (row length), as llama.cpp prints shapes. */
  ne: number[];
  type: GgmlType;
  /** Row-major by ne (ne[0] fastest); length must be the product of ne. */
  data: Float32Array;
}

export const GGUF_ALIGNMENT = 32;
const VALUE_TYPE = { u32: 4, f32: 6, bool: 7, string: 8 } as const;
const GGML_TYPE: Record<GgmlType, { id: number; bytes: number }> = { f32: { id: 0, bytes: 4 }, f16: { id: 1, bytes: 2 } };

/** The bytes of a GGUF v3 file holding `metadata` (in order) and `tensors`. */
export function encodeGguf(metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Buffer {
  const head: Buffer[] = [Buffer.from("GGUF", "latin1"), u32(3), u64(tensors.length), u64(Object.keys(metadata).length)];
  for (const [key, v] of Object.entries(metadata)) head.push(str(key), u32(VALUE_TYPE[v.type]), encodeValue(v));

  const bodies: Buffer[] = [];
  let offset = 0;
  for (const t of tensors) {
    const elements = t.ne.reduce((a, b) => a * b, 1);
    if (t.ne.length < 1 || t.ne.length > 4 || !t.ne.every((n) => Number.isInteger(n) && n > 0)) {
      throw new RangeError(`tensor ${t.name}: ne must be 1 to 4 positive integers, got [${t.ne.join(", ")}]`);
    }
    if (t.data.length !== elements) throw new RangeError(`tensor ${t.name}: ${t.data.length} values for shape [${t.ne.join(", ")}]`);
    head.push(str(t.name), u32(t.ne.length), ...t.ne.map(u64), u32(GGML_TYPE[t.type].id), u64(offset));
    const body = encodeTensorData(t);
    bodies.push(body, Buffer.alloc(padding(body.length)));
    offset += body.length + padding(body.length);
  }
  const header = Buffer.concat(head);
  return Buffer.concat([header, Buffer.alloc(padding(header.length)), ...bodies]);
}

/** IEEE half-precision bits of `value`, rounded to nearest even (Node 20 has no Float16Array). */
export function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches Inf at the top).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

function encodeTensorData(t: GgufTensor): Buffer {
  if (t.type === "f32") return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = Buffer.alloc(t.data.length * GGML_TYPE.f16.bytes);
  t.data.forEach((v, i) => out.writeUInt16LE(toFloat16Bits(v), i * 2));
  return out;
}

function encodeValue(v: GgufValue): Buffer {
  switch (v.type) {
    case "string":
      return str(v.value);
    case "u32":
      return u32(v.value);
    case "f32": {
      const b = Buffer.alloc(4);
      b.writeFloatLE(v.value);
      return b;
    }
    case "bool":
      return Buffer.from([v.value ? 1 : 0]);
  }
}

function padding(length: number): number {
  return (GGUF_ALIGNMENT - (length % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

function str(s: string): Buffer {
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([u64(bytes.length), bytes]);
}
