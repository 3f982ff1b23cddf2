/**
 * Word tokenizer for the GloVe-derived wink vocabulary.
 *
 * The vocabulary is lowercase ASCII: words, hyphenated compounds ("e-mail",
 * "log-in") and alphanumerics ("mp3", "h1n1"). GloVe's tokenizer split
 * "don't" into "do" + "n't", but the wink package ships no bare numbers and no
 * clitics ("n't", "'s"), so those are mapped ("n't" → "not") or dropped here.
 * Accents are folded ("café" → "cafe") because the vocabulary has none.
 */

import { PackedVocabulary, WORD_CHAR } from "./packed-vocabulary";
import { TokenIdBuffer } from "./token-buffer";

/** Token lookup: lowercase token → id (id 0 is reserved for padding). */
export type Vocabulary = ReadonlyMap<string, number>;

// A word is letters/digits joined by inner hyphens or apostrophes. Symbols are
// not matched at all: the built vocabulary holds none (they would only add
// noise to an average). scanAscii scans for the ASCII form of this by hand.
const UNICODE_WORD = /[\p{L}\p{M}\p{N}]+(?:[-'][\p{L}\p{M}\p{N}]+)*/gu;
// Splits "resetPassword" → reset|Password, "HTTPServer" → HTTP|Server, "win10" → win|10.
const CASE_PARTS = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[\p{L}\p{M}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const CURLY_APOSTROPHES = /[\u2018\u2019\u02bc]/g;
// Non-ASCII characters that can never be part of a word (dashes, bullets, symbols, emoji):
// UNICODE_WORD treats them as separators, so a space does the same and may leave the text ASCII.
const NON_ASCII_SEPARATORS = /[^\p{L}\p{M}\p{N}\x00-\x7f]+/gu;
const ENCODER = new TextEncoder();
const CLITIC = /'(?:s|re|ll|ve|d|m)$/;
/** Bases of "n't" contractions that the stem alone would get wrong ("ca" for "can't"). */
// A Map, not an object literal: a stem such as "constructor" must not find Object.prototype members.
const NEGATION_BASES = new Map([["ca", "can"], ["wo", "will"], ["sha", "shall"]]);
// A module-level copy of the imported table: a bundler may turn each use of an
// import into a property read (or getter call) in the hot loop.
const WORD = WORD_CHAR;
/** A countTokens buffer grown past this many ids is dropped after use rather than kept. */
const KEEP_COUNT_BUFFER = 1 << 16;
/** Byte scratch for texts up to this length is kept between calls; longer ones get a temporary buffer. */
const KEEP_BYTES = 1 << 20;

const ASCII_DECODER = new TextDecoder("latin1");

/** bytes[from, to), all ASCII, as a string. */
function asciiString(bytes: Uint8Array, from: number, to: number): string {
  // Spreading is quickest for words, but a long "word" (a base64 blob) would overflow the argument limit.
  return to - from <= 64 ? String.fromCharCode(...bytes.subarray(from, to)) : ASCII_DECODER.decode(bytes.subarray(from, to));
}

/** Fold accents and curly apostrophes so non-ASCII text meets the ASCII vocabulary. */
function foldToAscii(text: string): string {
  return text.normalize("NFKD").replace(COMBINING_MARKS, "").replace(CURLY_APOSTROPHES, "'").replace(NON_ASCII_SEPARATORS, " ");
}

/**
 * False when pushUnknown would surely add nothing for the ASCII word
 * bytes[from, to): no hyphen or apostrophe, and one letter case only, digits
 * only, or Capitalized, so CASE_PARTS finds a single part. Unknown short words
 * ("I", "a") are common; this skips them without slicing a string.
 */
function mayHaveParts(bytes: Uint8Array, from: number, to: number): boolean {
  let lower = 0;
  let upper = 0;
  let digits = 0;
  for (let k = from; k < to; k++) {
    const c = bytes[k]!;
    if (c === 45 || c === 39) return true;
    if (c >= 97) lower++;
    else if (c >= 65) upper++;
    else digits++;
  }
  if (digits > 0) return lower + upper > 0;
  if (lower === 0 || upper === 0) return false;
  const first = bytes[from]!;
  return !(upper === 1 && first >= 65 && first <= 90);
}

/** Lowercasing word tokenizer with fallbacks for unknown hyphenated, camelCase and contracted words. */
export class WordTokenizer {
  private readonly packed: PackedVocabulary;
  private scratch = new TokenIdBuffer(256);
  private bytes = new Uint8Array(4096);

  constructor(vocab: Vocabulary) {
    this.packed = PackedVocabulary.build(vocab);
  }

  /** Token ids of `text`, at most `maxTokens` of them (later tokens are dropped: truncation). */
  encode(text: string, maxTokens = Number.POSITIVE_INFINITY): number[] {
    const sink = this.scratch;
    sink.length = 0;
    const n = this.encodeInto(text, maxTokens, sink);
    const ids = Array.from(sink.ids.subarray(0, n));
    this.releaseLarge();
    return ids;
  }

  /** How many ids encode(text) would return with no limit, without building them as an array. */
  count(text: string): number {
    this.scratch.length = 0;
    const n = this.encodeInto(text, Number.POSITIVE_INFINITY, this.scratch);
    this.releaseLarge();
    return n;
  }

  /** Appends the ids encode(text, maxTokens) returns to `sink`; returns how many. */
  encodeInto(text: string, maxTokens: number, sink: TokenIdBuffer): number {
    const begin = sink.length;
    if (maxTokens <= 0 || text.length === 0) return 0;
    if (!this.scanIfAscii(text, maxTokens, sink)) {
      // Folding accents and punctuation may leave ASCII; scan that instead.
      const folded = foldToAscii(text);
      if (folded === text || !this.scanIfAscii(folded, maxTokens, sink)) this.encodeUnicode(folded, maxTokens, sink);
    }
    if (sink.length - begin > maxTokens) sink.length = begin + maxTokens;
    return sink.length - begin;
  }

  /** Scans `text` when it is all ASCII; false, with nothing appended, otherwise. */
  private scanIfAscii(text: string, maxTokens: number, sink: TokenIdBuffer): boolean {
    const bytes = this.asciiBytes(text);
    if (bytes) this.scanAscii(bytes, text.length, maxTokens, sink);
    return bytes !== null;
  }

  /** `text` as bytes (reused scratch memory) when it is all ASCII; null otherwise. */
  private asciiBytes(text: string): Uint8Array | null {
    const n = text.length;
    let bytes = this.bytes;
    if (bytes.length < n) {
      bytes = new Uint8Array(Math.max(n, 2 * bytes.length));
      if (n <= KEEP_BYTES) this.bytes = bytes;
    }
    // UTF-8 of ASCII is the same bytes; any other character takes more than one.
    const { read, written } = ENCODER.encodeInto(text, bytes);
    return read === n && written === n ? bytes : null;
  }

  /**
   * The hot path: a hand-written scan of ASCII bytes equivalent to the ASCII
   * form of UNICODE_WORD that folds case per character, builds each word's
   * lookup key while reading it and looks it up in place, so known words cost
   * no string allocation. (Reading bytes that TextEncoder wrote is faster than
   * charCodeAt, and they need no per-character non-ASCII test.)
   */
  private scanAscii(bytes: Uint8Array, n: number, maxTokens: number, sink: TokenIdBuffer): void {
    const packed = this.packed;
    // ASCII text yields at most one id per character (every id stands for a distinct character run).
    sink.reserve(Math.min(maxTokens, n));
    const limit = sink.length + maxTokens;
    let ids = sink.ids;
    let len = sink.length;
    let i = 0;
    while (i < n) {
      let c = bytes[i]!;
      let f = WORD[c]!;
      if (f === 0) {
        i++;
        continue;
      }
      const start = i;
      let key0 = 0;
      let key1 = 0;
      for (;;) {
        key1 = (key1 << 8) | (key0 >>> 24);
        key0 = (key0 << 8) | f;
        if (++i >= n) break;
        c = bytes[i]!;
        f = WORD[c]!;
        if (f !== 0) continue;
        // An inner hyphen or apostrophe joins two runs: "e-mail", "don't".
        if ((c !== 45 && c !== 39) || i + 1 >= n || WORD[bytes[i + 1]!] === 0) break;
        f = c;
      }
      const id = packed.findFolded(bytes, start, i, key0, key1);
      if (id >= 0) {
        if (len === ids.length) {
          sink.length = len;
          sink.reserve(1);
          ids = sink.ids;
        }
        ids[len++] = id;
      } else if (mayHaveParts(bytes, start, i)) {
        sink.length = len;
        const raw = asciiString(bytes, start, i);
        this.pushUnknown(raw, raw.toLowerCase(), sink);
        ids = sink.ids;
        len = sink.length;
      }
      if (len >= limit) break;
    }
    sink.length = len;
  }

  private encodeUnicode(source: string, maxTokens: number, sink: TokenIdBuffer): void {
    const limit = sink.length + maxTokens;
    UNICODE_WORD.lastIndex = 0;
    for (let m = UNICODE_WORD.exec(source); m !== null && sink.length < limit; m = UNICODE_WORD.exec(source)) {
      this.pushWord(m[0], sink);
    }
  }

  /** The words the vocabulary knows in `text`, in order (for tests and debugging). */
  tokens(text: string, maxTokens?: number): string[] {
    return this.encode(text, maxTokens).map((id) => this.packed.tokenOf(id) || "?");
  }

  private releaseLarge(): void {
    if (this.scratch.ids.length > KEEP_COUNT_BUFFER) this.scratch = new TokenIdBuffer(256);
  }

  private pushWord(raw: string, sink: TokenIdBuffer): void {
    const lower = raw.toLowerCase();
    const id = this.packed.get(lower);
    if (id >= 0) sink.push(id);
    else this.pushUnknown(raw, lower, sink);
  }

  /** Fallbacks for a word the vocabulary lacks: contraction, hyphen parts, case parts, else skip. */
  private pushUnknown(raw: string, lower: string, sink: TokenIdBuffer): void {
    if (lower.includes("'")) {
      this.pushContraction(raw, lower, sink);
      return;
    }
    if (lower.includes("-")) {
      for (const part of raw.split("-")) if (part) this.pushWord(part, sink);
      return;
    }
    this.pushCaseParts(raw, sink);
  }

  private pushContraction(raw: string, lower: string, sink: TokenIdBuffer): void {
    if (lower.endsWith("n't")) {
      const stem = lower.slice(0, -3);
      this.pushWord(NEGATION_BASES.get(stem) ?? stem, sink);
      this.pushKnown("not", sink);
      return;
    }
    // "'s", "'re", ... carry little meaning and are not in the vocabulary.
    const bare = CLITIC.test(lower) ? raw.slice(0, raw.lastIndexOf("'")) : raw;
    for (const part of bare.split("'")) if (part) this.pushWord(part, sink);
  }

  private pushCaseParts(raw: string, sink: TokenIdBuffer): void {
    const parts = raw.match(CASE_PARTS);
    if (!parts || parts.length < 2) return; // unknown and unsplittable: skip
    for (const part of parts) this.pushKnown(part.toLowerCase(), sink);
  }

  private pushKnown(token: string, sink: TokenIdBuffer): void {
    const id = this.packed.get(token);
    if (id >= 0) sink.push(id);
  }
}
