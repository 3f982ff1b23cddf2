/**
 * An open-addressing hash table over the vocabulary's ASCII tokens, looked up
 * by a range of ASCII bytes (folded to lowercase on the fly) and a key built
 * while scanning it.
 *
 * Why: tokenising runs over every passage ingested, and slicing each word
 * out, lowercasing it and hashing it again in a Map would allocate a string
 * per word; this lookup allocates nothing.
 */

/**
 * The slot hash of a word's key. The key is the word's last eight characters
 * as two int32 shift registers (key1 holds characters 5-8 from the end, key0
 * the last four), fed one character at a time while scanning with
 * `key1 = (key1 << 8) | (key0 >>> 24); key0 = (key0 << 8) | c`. With the
 * length, the key is the whole word for words of up to eight characters
 * (most words), so those need no character compare; longer words are
 * compared byte by byte after the key matches.
 */
function slotHash(key0: number, key1: number, length: number): number {
  const h = Math.imul(key0 ^ Math.imul(key1 ^ length, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** Words up to this long are identified by their key and length alone. */
const KEY_CHARS = 8;

/** ASCII code → its lowercase code for letters and digits, 0 for every other character. */
export const WORD_CHAR = new Uint8Array(128);
/** ASCII code → lowercase for A-Z, unchanged otherwise. */
const FOLD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const upper = c >= 65 && c <= 90;
  FOLD_CHAR[c] = upper ? c + 32 : c;
  if (upper || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) WORD_CHAR[c] = FOLD_CHAR[c] ?? 0;
}

interface PackedTables {
  /** Token characters, back to back. */
  chars: Uint8Array;
  /** Per id: offset of its characters in `chars`, and their count (0 = not packed). */
  start: Uint32Array;
  length: Uint16Array;
  /** Per slot [key0, key1, length, id + 1]; id + 1 = 0 marks an empty slot. A power of two of slots. */
  slots: Int32Array;
  /** Tokens with non-ASCII characters (the wink vocabulary has none) and their ids. */
  others: Map<string, number>;
}

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

export class PackedVocabulary {
  private readonly chars: Uint8Array;
  private readonly start: Uint32Array;
  private readonly length: Uint16Array;
  private readonly slots: Int32Array;
  private readonly others: Map<string, number>;
  /** (slots - 1) * 4: masks a hash times four to the first index of a slot. */
  private readonly slotMask: number;

  private constructor(tables: PackedTables) {
    ({ chars: this.chars, start: this.start, length: this.length, slots: this.slots, others: this.others } = tables);
    this.slotMask = this.slots.length - 4;
  }

  static build(vocab: ReadonlyMap<string, number>): PackedVocabulary {
    let maxId = 0;
    let totalChars = 0;
    for (const [token, id] of vocab) {
      maxId = Math.max(maxId, id);
      totalChars += token.length;
    }
    let count = 2;
    while (count < 2 * vocab.size) count *= 2;
    const tables: PackedTables = {
      chars: new Uint8Array(totalChars),
      start: new Uint32Array(maxId + 1),
      length: new Uint16Array(maxId + 1),
      slots: new Int32Array(4 * count),
      others: new Map(),
    };
    const packed = new PackedVocabulary(tables);
    let offset = 0;
    for (const [token, id] of vocab) {
      if (!isAscii(token) || token.length === 0 || token.length > 0xffff) {
        tables.others.set(token, id);
        continue;
      }
      let key0 = 0;
      let key1 = 0;
      for (let i = 0; i < token.length; i++) {
        const c = token.charCodeAt(i);
        tables.chars[offset + i] = c;
        key1 = (key1 << 8) | (key0 >>> 24);
        key0 = (key0 << 8) | c;
      }
      tables.start[id] = offset;
      tables.length[id] = token.length;
      offset += token.length;
      let slot = (slotHash(key0, key1, token.length) << 2) & packed.slotMask;
      while (tables.slots[slot + 3] !== 0) slot = (slot + 4) & packed.slotMask;
      tables.slots.set([key0, key1, token.length, id + 1], slot);
    }
    return packed;
  }

  /**
   * Id of the token equal to ASCII bytes[from, to) lowercased, whose key
   * (see slotHash) over the lowercased characters is key0, key1; -1 when absent.
   */
  findFolded(bytes: Uint8Array, from: number, to: number, key0: number, key1: number): number {
    // Kept small so that V8 inlines it into the tokenizer's scan; long words compare in sameFolded.
    const len = to - from;
    const slots = this.slots;
    for (let slot = (slotHash(key0, key1, len) << 2) & this.slotMask; ; slot = (slot + 4) & this.slotMask) {
      const entry = slots[slot + 3]!;
      if (entry === 0) return -1;
      if (slots[slot] === key0 && slots[slot + 1] === key1 && slots[slot + 2] === len) {
        if (len <= KEY_CHARS || this.sameFolded(entry - 1, bytes, from, to)) return entry - 1;
      }
    }
  }

  /** Whether token `id` equals bytes[from, to) lowercased. */
  private sameFolded(id: number, bytes: Uint8Array, from: number, to: number): boolean {
    let k = this.start[id]!;
    for (let i = from; i < to; i++, k++) if (this.chars[k] !== FOLD_CHAR[bytes[i]!]) return false;
    return true;
  }

  /** Id of `token` exactly as written (no case folding); -1 when absent. */
  get(token: string): number {
    let key0 = 0;
    let key1 = 0;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      if (c >= 128) return this.others.get(token) ?? -1;
      key1 = (key1 << 8) | (key0 >>> 24);
      key0 = (key0 << 8) | c;
    }
    if (token.length === 0 || token.length > 0xffff) return this.others.get(token) ?? -1;
    const slots = this.slots;
    for (let slot = (slotHash(key0, key1, token.length) << 2) & this.slotMask; ; slot = (slot + 4) & this.slotMask) {
      const entry = slots[slot + 3]!;
      if (entry === 0) return -1;
      if (slots[slot] !== key0 || slots[slot + 1] !== key1 || slots[slot + 2] !== token.length) continue;
      if (token.length <= KEY_CHARS || this.tokenOf(entry - 1) === token) return entry - 1;
    }
  }

  /** The token with this id ("" for an unknown id). */
  tokenOf(id: number): string {
    const len = this.length[id] ?? 0;
    if (len === 0) {
      for (const [token, other] of this.others) if (other === id) return token;
      return "";
    }
    const k = this.start[id]!;
    return String.fromCharCode(...this.chars.subarray(k, k + len));
  }
}
