/**
 * Runs the WebAssembly build of the tokenizer's ASCII scan (scan.as.ts) over one
 * thread's copy of the vocabulary tables.
 *
 * Why: the scan and lookups are most of tokenising, and tokenising in JS cost
 * about as much as the whole ONNX model run; compiled to WebAssembly they take
 * under half as long. Each instance copies the tables into its own memory
 * (about 10 MB for wink's 200k words), so every thread makes its own.
 */
import { FOLD_CHAR, WORD_CHAR, type PackedTables } from "../packed-vocabulary";
import { SCAN_WASM_BASE64 } from "./scan-wasm";

const PAGE = 65536;
type ScanFn = (
  text: number,
  n: number,
  maxTokens: number,
  slots: number,
  slotMask: number,
  starts: number,
  chars: number,
  out: number,
) => number;

let compiled: WebAssembly.Module | undefined;

export class WasmScanner {
  private readonly memory: WebAssembly.Memory;
  private readonly scanFn: ScanFn;
  private readonly slots: number;
  private readonly slotMask: number;
  private readonly starts: number;
  private readonly chars: number;
  /** Where texts are written; the output follows the text room. */
  readonly textAt: number;
  private textRoom = 0;
  /** The memory's bytes; replaced whenever the memory grows. */
  bytes!: Uint8Array;
  private words!: Int32Array;

  constructor(tables: PackedTables) {
    compiled ??= new WebAssembly.Module(Buffer.from(SCAN_WASM_BASE64, "base64"));
    this.slots = 256;
    this.starts = this.slots + tables.slots.byteLength;
    this.chars = this.starts + tables.start.byteLength;
    this.textAt = align(this.chars + tables.chars.byteLength, 8);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.textAt + PAGE) / PAGE) });
    this.scanFn = new WebAssembly.Instance(compiled, { env: { memory: this.memory, abort: () => {} } }).exports.scan as ScanFn;
    this.slotMask = tables.slots.length - 4;
    this.ensureRoom(PAGE / 8);
    this.bytes.set(WORD_CHAR, 0);
    this.bytes.set(FOLD_CHAR, 128);
    // Shared tables (the tokenizer thread's) copy byte-wise through a Buffer: a memcpy, where
    // TypedArray.set from shared memory goes element by element.
    for (const [at, table] of [
      [this.slots, tables.slots],
      [this.starts, tables.start],
      [this.chars, tables.chars],
    ] as const) {
      Buffer.from(table.buffer, table.byteOffset, table.byteLength).copy(this.bytes, at);
    }
  }

  /** Makes room for a text of `n` bytes and its output; returns where to write the text. */
  ensureRoom(n: number): number {
    if (n > this.textRoom) {
      const room = Math.max(n, 2 * this.textRoom);
      // One int32 per word, two for a word left to the fallback: at most n + 1 int32 for n bytes.
      const needed = this.textAt + align(room, 4) + 4 * (room + 1);
      const have = this.memory.buffer.byteLength;
      if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
      this.textRoom = room;
    }
    if (this.bytes?.buffer !== this.memory.buffer) {
      this.bytes = new Uint8Array(this.memory.buffer);
      this.words = new Int32Array(this.memory.buffer);
    }
    return this.textAt;
  }

  /**
   * Scans the n ASCII bytes written at textAt (after ensureRoom(n)); returns the output's
   * int32 index in `output` and its length (see scan.as.ts for what the values mean).
   */
  scan(n: number, maxTokens: number): { at: number; length: number } {
    const out = this.textAt + align(this.textRoom, 4);
    const length = this.scanFn(this.textAt, n, Math.min(maxTokens, 0x7fffffff), this.slots, this.slotMask, this.starts, this.chars, out);
    return { at: out >> 2, length };
  }

  get output(): Int32Array {
    return this.words;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
