/**
 * Word tokenizer for the GloVe-derived wink vocabulary.
 *
 * The vocabulary is lowercase ASCII: words, hyphenated compounds ("e-mail",
 * "log-in") and alphanumerics ("mp3", "h1n1"). GloVe's tokenizer split
 * "don't" into "do" + "n't", but the wink package ships no bare numbers and no
 * clitics ("n't", "'s"), so those are mapped ("n't" → "not") or dropped here.
 * Accents are folded ("café" → "cafe") because the vocabulary has none.
 */

import { FNV_OFFSET, PackedVocabulary, fnvStep } from "./packed-vocabulary";

/** Token lookup: lowercase token → id (id 0 is reserved for padding). */
export type Vocabulary = ReadonlyMap<string, number>;

// A word is letters/digits joined by inner hyphens or apostrophes. Symbols are
// not matched at all: the built vocabulary holds none (they would only add
// noise to an average). encodeAscii scans for the ASCII form of this by hand.
const UNICODE_WORD = /[\p{L}\p{M}\p{N}]+(?:[-'][\p{L}\p{M}\p{N}]+)*/gu;
// Splits "resetPassword" → reset|Password, "HTTPServer" → HTTP|Server, "win10" → win|10.
const CASE_PARTS = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[\p{L}\p{M}]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const CURLY_APOSTROPHES = /[\u2018\u2019\u02bc]/g;
const CLITIC = /'(?:s|re|ll|ve|d|m)$/;
/** Bases of "n't" contractions that the stem alone would get wrong ("ca" for "can't"). */
const NEGATION_BASES: Record<string, string> = { ca: "can", wo: "will", sha: "shall" };

/** a-z or 0-9 (the text is lowercased before scanning). */
function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Fold accents and curly apostrophes so non-ASCII text meets the ASCII vocabulary. */
function foldToAscii(text: string): string {
  return text.normalize("NFKD").replace(COMBINING_MARKS, "").replace(CURLY_APOSTROPHES, "'");
}

/** Lowercasing word tokenizer with fallbacks for unknown hyphenated, camelCase and contracted words. */
export class WordTokenizer {
  private readonly packed: PackedVocabulary;

  constructor(private readonly vocab: Vocabulary) {
    this.packed = new PackedVocabulary(vocab);
  }

  /** Token ids of `text`, at most `maxTokens` of them (later tokens are dropped: truncation). */
  encode(text: string, maxTokens = Number.POSITIVE_INFINITY): number[] {
    const ids: number[] = [];
    if (maxTokens <= 0 || text.length === 0) return ids;
    const source = NON_ASCII.test(text) ? foldToAscii(text) : text;
    if (NON_ASCII.test(source)) this.encodeUnicode(source, maxTokens, ids);
    else this.encodeAscii(source, maxTokens, ids);
    if (ids.length > maxTokens) ids.length = maxTokens;
    return ids;
  }

  /**
   * The hot path: a hand-written scan equivalent to the ASCII form of
   * UNICODE_WORD that hashes each word while reading it and looks it up in
   * place, so known words cost no string allocation (tokenising otherwise
   * costs more than the model). The text is lowercased once; ASCII keeps its
   * length, so offsets still index `source` for the fallbacks.
   */
  private encodeAscii(source: string, maxTokens: number, ids: number[]): void {
    const s = source.toLowerCase();
    const n = s.length;
    let i = 0;
    while (i < n && ids.length < maxTokens) {
      let c = s.charCodeAt(i);
      if (!isAsciiWordChar(c)) {
        i++;
        continue;
      }
      const start = i;
      let hash = FNV_OFFSET;
      for (;;) {
        while (i < n && isAsciiWordChar((c = s.charCodeAt(i)))) {
          hash = fnvStep(hash, c);
          i++;
        }
        // An inner hyphen or apostrophe joins two runs: "e-mail", "don't".
        if (i + 1 < n && (c === 45 || c === 39) && isAsciiWordChar(s.charCodeAt(i + 1))) {
          hash = fnvStep(hash, c);
          i++;
        } else break;
      }
      const id = this.packed.find(s, start, i, hash);
      if (id >= 0) ids.push(id);
      else this.pushUnknown(source.slice(start, i), s.slice(start, i), ids);
    }
  }

  private encodeUnicode(source: string, maxTokens: number, ids: number[]): void {
    UNICODE_WORD.lastIndex = 0;
    for (let m = UNICODE_WORD.exec(source); m !== null && ids.length < maxTokens; m = UNICODE_WORD.exec(source)) {
      this.pushWord(m[0], ids);
    }
  }

  /** The words the vocabulary knows in `text`, in order (for tests and debugging). */
  tokens(text: string, maxTokens?: number): string[] {
    const byId = new Map<number, string>();
    for (const [token, id] of this.vocab) byId.set(id, token);
    return this.encode(text, maxTokens).map((id) => byId.get(id) ?? "?");
  }

  private pushWord(raw: string, ids: number[]): void {
    const lower = raw.toLowerCase();
    const id = this.vocab.get(lower);
    if (id !== undefined) ids.push(id);
    else this.pushUnknown(raw, lower, ids);
  }

  /** Fallbacks for a word the vocabulary lacks: contraction, hyphen parts, case parts, else skip. */
  private pushUnknown(raw: string, lower: string, ids: number[]): void {
    if (lower.includes("'")) {
      this.pushContraction(raw, lower, ids);
      return;
    }
    if (lower.includes("-")) {
      for (const part of raw.split("-")) if (part) this.pushWord(part, ids);
      return;
    }
    this.pushCaseParts(raw, ids);
  }

  private pushContraction(raw: string, lower: string, ids: number[]): void {
    if (lower.endsWith("n't")) {
      const stem = lower.slice(0, -3);
      this.pushWord(NEGATION_BASES[stem] ?? stem, ids);
      this.pushKnown("not", ids);
      return;
    }
    // "'s", "'re", ... carry little meaning and are not in the vocabulary.
    const bare = CLITIC.test(lower) ? raw.slice(0, raw.lastIndexOf("'")) : raw;
    for (const part of bare.split("'")) if (part) this.pushWord(part, ids);
  }

  private pushCaseParts(raw: string, ids: number[]): void {
    const parts = raw.match(CASE_PARTS);
    if (!parts || parts.length < 2) return; // unknown and unsplittable: skip
    for (const part of parts) this.pushKnown(part.toLowerCase(), ids);
  }

  private pushKnown(token: string, ids: number[]): void {
    const id = this.vocab.get(token);
    if (id !== undefined) ids.push(id);
  }
}
