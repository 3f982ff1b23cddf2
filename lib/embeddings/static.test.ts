import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultEmbeddingModel } from "./build";
import { corpusTokenWeights } from "./corpus-weights";
import { ReferenceTokenizer } from "./fixtures/reference-tokenizer";
import { StaticOnnxEmbedder } from "./static";
import { WINK_MAX_TOKENS, WINK_VOCAB_FILE } from "./wink-model";

// The real default model, built once into the repo's models/ folder (quick when present).
const repoRoot = path.resolve(import.meta.dirname, "../..");
const modelsDir = path.join(repoRoot, "models");
const triples = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "fixtures/support-triples.json"), "utf8"),
) as { topic: string; anchor: string; paraphrase: string; unrelated: string }[];

let embedder: StaticOnnxEmbedder;
let modelDir: string;

beforeAll(async () => {
  const built = await ensureDefaultEmbeddingModel(modelsDir, (line) => console.log(line));
  modelDir = built.dir;
  embedder = await StaticOnnxEmbedder.load({ modelDir, maxBatch: 16 });
});

afterAll(async () => {
  await embedder?.close();
});

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const norm = (a: Float32Array) => Math.sqrt(cos(a, a));

describe("StaticOnnxEmbedder with the built wink-sif-100d", () => {
  it("describes itself", () => {
    expect(embedder.id).toBe("wink-sif-100d");
    expect(embedder.kind).toBe("static");
    expect(embedder.dimensions).toBe(100);
    expect(embedder.maxBatch).toBe(16);
    expect(embedder.maxTokens).toBe(WINK_MAX_TOKENS);
  });

  it("ranks the paraphrase above the unrelated sentence in at least 85% of support triples", async () => {
    expect(triples.length).toBeGreaterThanOrEqual(30);
    const texts = triples.flatMap((t) => [t.anchor, t.paraphrase, t.unrelated]);
    const v = await embedder.embed(texts, { kind: "passage" });
    let wins = 0;
    triples.forEach((t, i) => {
      const [a, p, u] = [v[3 * i]!, v[3 * i + 1]!, v[3 * i + 2]!];
      if (cos(a, p) > cos(a, u)) wins++;
      else console.log(`  miss (${t.topic}): ${t.anchor}`);
    });
    const share = wins / triples.length;
    console.log(`wink-sif-100d: paraphrase > unrelated in ${wins}/${triples.length} triples = ${(share * 100).toFixed(1)}%`);
    expect(share).toBeGreaterThanOrEqual(0.85);
  });

  it("finds the same tokens with the packed ASCII lookup as with the Unicode path's Map lookup", () => {
    const texts = triples.flatMap((t) => [t.anchor, t.paraphrase, t.unrelated]);
    texts.push("E-mail log-in sign-up x86-64 mid-1990s pre-order can't won't it's resetPassword");
    for (const text of texts) expect(embedder.encode(text)).toEqual(embedder.encode(`${text} 🙂`));
  });

  it("gives the same vectors batched and one by one", async () => {
    const texts = triples.slice(0, 12).flatMap((t) => [t.anchor, t.unrelated]);
    texts.push("", "refund");
    const batched = await embedder.embed(texts, { kind: "passage" });
    for (const [i, text] of texts.entries()) {
      const [single] = await embedder.embed([text], { kind: "passage" });
      const diff = Math.max(...Array.from(single ?? [], (x, d) => Math.abs(x - (batched[i]?.[d] ?? NaN))));
      expect(diff).toBeLessThanOrEqual(1e-5);
    }
  });

  it("never throws on empty, huge, non-English or emoji input; unknown-only text gives the zero vector", async () => {
    const huge = "The refund was charged twice to my card. ".repeat(1300).slice(0, 50_000);
    const texts = ["", huge, "Mot de passe oublié, je veux un remboursement", "密码忘记了", "🙂🚀😡", "   \n\t "];
    const v = await embedder.embed(texts, { kind: "query" });
    expect(v).toHaveLength(texts.length);
    for (const x of v) {
      expect(x).toHaveLength(100);
      expect(x.every(Number.isFinite)).toBe(true);
    }
    expect(norm(v[1]!)).toBeCloseTo(1, 5);
    expect(norm(v[2]!)).toBeCloseTo(1, 5); // French: "mot", "de", "passe" … are in the vocabulary
    for (const i of [0, 3, 4, 5]) expect(Array.from(v[i]!)).toEqual(new Array(100).fill(0));
  });

  it("truncates input to the first maxTokens tokens", async () => {
    const head = Array.from({ length: WINK_MAX_TOKENS }, (_, i) => (i % 2 ? "password" : "reset")).join(" ");
    const tail = " shipping delivery parcel courier ".repeat(50);
    expect(embedder.countTokens(head)).toBe(WINK_MAX_TOKENS);
    expect(embedder.countTokens(head + tail)).toBe(WINK_MAX_TOKENS + 200);
    expect(embedder.encode(head + tail)).toHaveLength(WINK_MAX_TOKENS);
    const [a, b, tailOnly] = await embedder.embed([head, head + tail, tail], { kind: "passage" });
    expect(Math.max(...Array.from(a!, (x, d) => Math.abs(x - (b?.[d] ?? NaN))))).toBeLessThanOrEqual(1e-6);
    expect(cos(a!, tailOnly!)).toBeLessThan(0.9);
  });

  it("adapts to a corpus with IDF weights under a distinct id", async () => {
    const corpus = ["Reset your password from the sign-in page.", "Refunds reach your card in five days.", "Reset the router."];
    const sif = await embedder.defaultTokenWeights();
    expect(sif).toHaveLength(embedder.vocabularySize);
    const weights = corpusTokenWeights(
      corpus.map((t) => embedder.encode(t)),
      embedder.vocabularySize,
      { mode: "sif-idf", sif },
    );
    expect(weights.id).toMatch(/^sif-idf-[0-9a-f]{12}$/);
    const adapted = await embedder.withTokenWeights(weights);
    try {
      expect(adapted.id).toBe(`wink-sif-100d+${weights.id}`);
      const query = "how do I reset my password";
      const [plain] = await embedder.embed([query], { kind: "query" });
      const [tuned] = await adapted.embed([query], { kind: "query" });
      expect(norm(tuned!)).toBeCloseTo(1, 5);
      expect(cos(plain!, tuned!)).toBeLessThan(0.9999);
    } finally {
      await adapted.close();
    }
  });

  it("tokenises exactly as the pre-rewrite tokenizer did, with the real vocabulary", () => {
    const lines = fs.readFileSync(path.join(modelDir, WINK_VOCAB_FILE), "utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    const reference = new ReferenceTokenizer(new Map(lines.map((token, id) => [token, id])));
    const texts = triples.flatMap((t) => [t.anchor, t.paraphrase, t.unrelated]);
    texts.push(
      "E-mail log-in sign-up x86-64 mid-1990s pre-order can't won't it's resetPassword HTTPServer iPhone win10",
      "Internationalization troubleshooting: the multi-factor authentication server’s naïve café — “quotes” • bullets © 2024",
      "Mot de passe oublié, je veux un remboursement. Straße İstanbul 密码忘记了 🙂🚀😡 ﬁle ½ ㏂",
      `${"The refund was charged twice to my card. ".repeat(200)}résumé`,
      "aB".repeat(300),
    );
    for (const text of texts) expect(embedder.encode(text), text.slice(0, 60)).toEqual(reference.encode(text, WINK_MAX_TOKENS));
    for (const text of texts) expect(embedder.countTokens(text)).toBe(reference.encode(text).length);
  });

  it("counts tokens additively across whitespace, as it declares (the chunker relies on it)", () => {
    expect(embedder.additive).toBe(true);
    const parts = ["E-mail log-in", "can't won't", "naïve café —", "“quotes” • ©", "resetPassword", "密码忘记了 🙂", "x86-64", "", "aB".repeat(40), "end."];
    for (const a of parts) {
      for (const b of parts) {
        for (const gap of [" ", "\n\n", "\t "]) {
          expect(embedder.countTokens(`${a}${gap}${b}`), `${a}|${b}`).toBe(embedder.countTokens(a) + embedder.countTokens(b) - embedder.countTokens(""));
        }
      }
    }
  });

  it("hands out vectors that later calls never overwrite (onnxruntime-node gives each run its own output buffer)", async () => {
    const a = await embedder.embed(["reset my password", "refund to my card"], { kind: "passage" });
    const copy = a.map((v) => Array.from(v));
    const b = await embedder.embed(["shipping to Canada", "invoice as a PDF"], { kind: "passage" });
    expect(a[0]!.buffer).not.toBe(b[0]!.buffer);
    expect(a.map((v) => Array.from(v))).toEqual(copy);
    expect(a[0]!.buffer).toBe(a[1]!.buffer); // views of one run's output, disjoint
    expect(Math.abs(a[1]!.byteOffset - a[0]!.byteOffset)).toBe(4 * embedder.dimensions);
  });
});
