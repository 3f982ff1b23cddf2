import { describe, expect, it } from "vitest";
import { ReferenceTokenizer } from "./fixtures/reference-tokenizer";
import { TokenIdBuffer } from "./token-buffer";
import { WordTokenizer } from "./tokenizer";

const words = [
  "[PAD]", "reset", "password", "http", "server", "do", "not", "know", "can", "log", "in", "e-mail",
  "cafe", "creme", "refund", "was", "charged", "brien", "account", "win", "iphone", "will", "sign",
];
const tokenizer = new WordTokenizer(new Map(words.map((w, i) => [w, i])));

describe("WordTokenizer", () => {
  it("lowercases and keeps known hyphenated words whole", () => {
    expect(tokenizer.tokens("Reset the E-Mail PASSWORD")).toEqual(["reset", "e-mail", "password"]);
  });

  it("splits unknown hyphenated words into known parts", () => {
    expect(tokenizer.tokens("log-in sign-in")).toEqual(["log", "in", "sign", "in"]);
  });

  it("splits unknown camelCase and letter-digit words", () => {
    expect(tokenizer.tokens("resetPassword HTTPServer win10 iPhone")).toEqual([
      "reset", "password", "http", "server", "win", "iphone",
    ]);
  });

  it("maps n't to not and drops other clitics", () => {
    expect(tokenizer.tokens("I don't know, can't, won't")).toEqual(["do", "not", "know", "can", "not", "will", "not"]);
    expect(tokenizer.tokens("O'Brien's account wasn’t charged")).toEqual(["brien", "account", "was", "not", "charged"]);
  });

  it("folds accents and skips symbols, numbers, emoji and unknown scripts", () => {
    expect(tokenizer.tokens("Café crème 🙂 refund 😡 $3.50 (10%) 日本語")).toEqual(["cafe", "creme", "refund"]);
    expect(tokenizer.encode("")).toEqual([]);
    expect(tokenizer.encode("🙂🚀 日本語のテキスト")).toEqual([]);
  });

  it("tokenises alike on the ASCII fast path and the Unicode path", () => {
    const text = "Reset the E-Mail PASSWORD; I don't know. resetPassword log-in--refund 'cafe' win10";
    expect(tokenizer.tokens(text)).toEqual(["reset", "e-mail", "password", "do", "not", "know", "reset", "password", "log", "in", "refund", "cafe", "win"]);
    expect(tokenizer.tokens(`${text} 🙂`)).toEqual(tokenizer.tokens(text));
  });

  it("truncates to maxTokens, keeping the first tokens", () => {
    expect(tokenizer.tokens("reset password refund refund", 2)).toEqual(["reset", "password"]);
    // A split word that crosses the limit is cut inside the word too.
    expect(tokenizer.tokens("refund resetPassword", 2)).toEqual(["refund", "reset"]);
    expect(tokenizer.encode("reset", 0)).toEqual([]);
  });
});

describe("WordTokenizer against the reference (pre-rewrite) tokenizer", () => {
  // Words of every shape the scan and its fallbacks handle, including ones longer than the
  // eight characters a lookup key holds, and pairs that share their last eight characters.
  const vocabulary = [
    "[PAD]", "the", "reset", "password", "e-mail", "log", "in", "do", "not", "can", "will", "shall", "know",
    "authentication", "troubleshooting", "multi-factor", "internationalization", "denationalization",
    "cafe", "creme", "naive", "file", "am", "pm", "x86-64", "mid-1990s", "win", "iphone", "http", "server",
    "month", "o", "brien", "s", "constructor", "über", "日本", "xxpassword", "xxauthentication",
  ];
  const reference = new ReferenceTokenizer(new Map(vocabulary.map((w, i) => [w, i])));
  const fast = new WordTokenizer(new Map(vocabulary.map((w, i) => [w, i])));
  const pieces = [
    "reset", "Password", "PASSWORD", "e-mail", "E-Mail", "log-in", "don't", "can't", "won't", "shan't", "it's", "O'Brien's",
    "resetPassword", "HTTPServer", "win10", "iPhone", "x86-64", "mid-1990s", "Authentication", "TROUBLESHOOTING",
    "multi-factor", "internationalization", "Denationalization", "internationalizations", "café", "Crème", "naïve",
    "’", "‘", "ʼ", "-", "'", "--", " ", "  ", "\n", "\t", ".", ",", "!", "(", ")", "🙂", "日本語", "日本", "über", "ﬁle",
    "㏂", "½", "\u0301", "I", "a", "A", "ABC", "Abc", "aBc", "123", "Z9", "Straße", "İstanbul", "ǅ", "\u00a0", "—", "•",
    "constructorn't", "__proto__", "n't", "'s", "s'", "-x", "x-", "MONTH'S", "Don’t", "re-élu", "x'—", "\ud800", "\udc00",
    "aB".repeat(40), "A1".repeat(50), "xxpassword", "yyPassword", "ZZPASSWORD", "yyauthenticationServer", "xxauthenticationServer",
  ];
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const corpus = Array.from({ length: 4000 }, () => {
    let text = "";
    for (let n = 1 + Math.floor(random() * 20); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)]! + (random() < 0.6 ? " " : "");
    return text;
  });

  it("gives exactly the reference ids on a varied corpus (unicode, hyphens, camelCase, contractions), at every limit", () => {
    for (const text of corpus) {
      for (const limit of [Number.POSITIVE_INFINITY, 512, 3, 1]) expect(fast.encode(text, limit), `${JSON.stringify(text)} @ ${limit}`).toEqual(reference.encode(text, limit));
      expect(fast.count(text)).toBe(reference.encode(text).length);
    }
  });

  it("tokenises texts longer than its kept scratch memory, then short ones again", () => {
    const id = (word: string) => vocabulary.indexOf(word);
    expect(fast.count("reset log-in ".repeat(20_000))).toBe(60_000);
    // Over a megabyte: a temporary byte buffer rather than one kept for good.
    const huge = "reset log-in ".repeat(90_000);
    expect(fast.count(huge)).toBe(270_000);
    expect(fast.encode(`${huge}password`).slice(-2)).toEqual(["in", "password"].map(id));
    expect(fast.encode("Reset log-in")).toEqual(["reset", "log", "in"].map(id));
  });

  it("appends to a shared buffer across texts and grows it", () => {
    const sink = new TokenIdBuffer(1);
    expect(fast.encodeInto("reset password", 512, sink)).toBe(2);
    expect(fast.encodeInto("", 512, sink)).toBe(0);
    expect(fast.encodeInto("café crème 🙂", 512, sink)).toBe(2);
    expect(fast.encodeInto("the the the the", 2, sink)).toBe(2);
    const id = (word: string) => vocabulary.indexOf(word);
    expect(Array.from(sink.ids.subarray(0, sink.length))).toEqual(["reset", "password", "cafe", "creme", "the", "the"].map(id));
  });

  it("never reads Object.prototype for a contraction stem", () => {
    expect(fast.tokens("constructorn't toStringn't")).toEqual(["constructor", "not", "not"]);
  });
});
