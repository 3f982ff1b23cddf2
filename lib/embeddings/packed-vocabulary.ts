/**
 * An open-addressing hash table over the vocabulary's ASCII tokens that is
 * looked up by a range of a string and a hash computed while scanning it.
 *
 * Why: in the tokenizer, slicing each word out and hashing it again in a Map
 * cost more than the ONNX model run itself; this lookup allocates nothing.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a step; start from FNV_OFFSET. */
export function fnvStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, FNV_PRIME) >>> 0;
}

export { FNV_OFFSET };

export class PackedVocabulary {
  private readonly chars: Uint8Array;
  private readonly start: Uint32Array;
  private readonly length: Uint16Array;
  /** id + 1 per slot; 0 marks an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** Packs the ASCII tokens of `vocab` (others are left to the caller's Map). */
  constructor(vocab: ReadonlyMap<string, number>) {
    let maxId = 0;
    let totalChars = 0;
    for (const [token, id] of vocab) {
      maxId = Math.max(maxId, id);
      totalChars += token.length;
    }
    this.chars = new Uint8Array(totalChars);
    this.start = new Uint32Array(maxId + 1);
    this.length = new Uint16Array(maxId + 1);
    let size = 1;
    while (size < 2 * vocab.size) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let offset = 0;
    for (const [token, id] of vocab) {
      if (!/^[\x00-\x7f]*$/.test(token) || token.length === 0 || token.length > 0xffff) continue;
      let hash = FNV_OFFSET;
      for (let i = 0; i < token.length; i++) {
        const c = token.charCodeAt(i);
        this.chars[offset + i] = c;
        hash = fnvStep(hash, c);
      }
      this.start[id] = offset;
      this.length[id] = token.length;
      offset += token.length;
      let slot = hash & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
    }
  }

  /** Id of the token equal to text[from, to), whose FNV-1a hash is `hash`; -1 when absent. */
  find(text: string, from: number, to: number, hash: number): number {
    const len = to - from;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot] ?? 0;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.length[id] !== len) continue;
      const base = this.start[id] ?? 0;
      let i = 0;
      while (i < len && this.chars[base + i] === text.charCodeAt(from + i)) i++;
      if (i === len) return id;
    }
  }
}
