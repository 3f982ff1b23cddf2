/**
 * The readings of a message that the risk checks look at. Someone hiding an
 * instruction from a pattern writes it so that a person still reads it:
 * full-width or look-alike letters, invisible characters, s p a c e d letters,
 * leetspeak, or an encoded fragment the model is asked to decode. Each reading
 * undoes one family of tricks, so a check that runs on all of them sees the
 * instruction as the person (or the model) would.
 */

const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;

/** Cyrillic and Greek letters that look like Latin ones. */
const LOOK_ALIKES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ї: "i", ј: "j", ѕ: "s", ԁ: "d", һ: "h", ӏ: "l", ԛ: "q", ԝ: "w", ь: "b",
  А: "A", В: "B", Е: "E", К: "K", М: "M", Н: "H", О: "O", Р: "P", С: "C", Т: "T", У: "Y", Х: "X", І: "I", Ј: "J", Ѕ: "S",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w",
  Α: "A", Β: "B", Ε: "E", Ζ: "Z", Η: "H", Ι: "I", Κ: "K", Μ: "M", Ν: "N", Ο: "O", Ρ: "P", Τ: "T", Υ: "Y", Χ: "X",
};
const LOOK_ALIKE_CHARS = new RegExp(`[${Object.keys(LOOK_ALIKES).join("")}]`, "gu");
const LATIN = /[A-Za-z]/;

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "!": "i", "|": "l" };

/** Four or more letters with the same separator between each: "i g n o r e", "s.y.s.t.e.m". */
const SPACED = /(?<![\p{L}\p{N}])[\p{L}\p{N}](?<sep>[ .\-_*·]{1,3})[\p{L}\p{N}](?:\k<sep>[\p{L}\p{N}]){2,}(?![\p{L}\p{N}])/gu;

/** Unicode compatibility forms (full-width, ligatures, circled letters) and invisible characters removed. */
export function foldUnicode(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "");
}

/** Look-alike letters inside words that also hold Latin letters become Latin (a Cyrillic name stays as it is). */
export function foldLookAlikes(text: string): string {
  const latinText = mostlyLatin(text);
  return text.replace(/[\p{L}\p{M}]+/gu, (word) => {
    // A word written wholly in look-alikes ("аll") is folded only in Latin text; a real Cyrillic or Greek word has other letters too.
    const disguised = LATIN.test(word) || (latinText && [...word].every((c) => LATIN.test(c) || c in LOOK_ALIKES));
    return disguised ? word.replace(LOOK_ALIKE_CHARS, (c) => LOOK_ALIKES[c] ?? c) : word;
  });
}

function mostlyLatin(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((c) => LATIN.test(c)).length * 2 > letters.length;
}

/** Runs of single letters with spaces, dots or dashes between them are joined into one word. */
export function joinSpacedLetters(text: string): string {
  return text.replace(SPACED, (run) => run.replace(/[ .\-_*·]/g, ""));
}

/** Digits and symbols inside words become the letters they stand for ("1gn0r3" → "ignore"); plain numbers and amounts stay. */
export function undoLeetspeak(text: string): string {
  return text.replace(/\S+/g, (token) => {
    const letters = token.match(/[A-Za-z]/g)?.length ?? 0;
    const leet = token.match(/[0134578@$!|]/g)?.length ?? 0;
    if (letters === 0 || leet === 0 || /^[$€£]?\d[\d.,]*[kKmM%]?$/.test(token)) return token;
    return token.replace(/[0134578@$!|]/g, (c, i: number) => (c === "!" && i === token.length - 1 ? c : (LEET[c] ?? c)));
  });
}

/** ROT13, which is its own inverse. */
export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Fragments of base64 or hex that decode to readable text. */
export function decodeFragments(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
    const decoded = readable(base64Bytes(m[0]));
    if (decoded) out.push(decoded);
  }
  for (const m of text.matchAll(/(?<![0-9A-Za-z])(?:(?:\\x|0x)?[0-9a-fA-F]{2}[\s:]?){8,}/g)) {
    const hex = m[0].replace(/\\x|0x|[\s:]/g, "");
    const decoded = readable(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));
    if (decoded) out.push(decoded);
  }
  return out;
}

function base64Bytes(fragment: string): Uint8Array | undefined {
  const standard = fragment.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  try {
    return Uint8Array.from(atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text when they read as words: valid UTF-8, printable, with letters and a space. */
function readable(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes || bytes.length < 6) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(text) || !/\p{L}{2,}/u.test(text) || !/\s/.test(text)) return undefined;
  return text;
}

/**
 * Every reading of `text` worth checking, the text itself first: folded
 * (Unicode forms, invisible characters, look-alike letters, spaced letters),
 * the folded text with leetspeak undone, its ROT13, and each decoded fragment
 * (folded too). Duplicates are dropped.
 */
export function readingsOf(text: string): string[] {
  const folded = joinSpacedLetters(foldLookAlikes(foldUnicode(text)));
  const readings = [text, folded, undoLeetspeak(folded), rot13(folded), ...decodeFragments(folded).map((d) => joinSpacedLetters(foldLookAlikes(foldUnicode(d))))];
  return [...new Set(readings)];
}

/** Letters only, lower case, one run: "I-g n o r e  all" → "ignoreall". For phrases split up beyond what readings join. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, "");
}
