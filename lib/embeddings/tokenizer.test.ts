import { describe, expect, it } from "vitest";
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
