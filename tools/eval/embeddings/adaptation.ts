/**
 * Does corpus adaptation help the static embedder retrieve? A small dense-only
 * experiment on text nobody here wrote: the READMEs of the installed npm
 * packages (≈465 files, ≈3,650 chunks of ≈1,000 characters) and 36 questions
 * in tools/eval/embeddings/readme-questions.jsonl. Prints recall@5/@10 and
 * MRR@10 for BM25 (over the same tokens, as a yardstick), plain SIF, corpus
 * IDF and SIF × IDF.
 *
 *   npx tsx tools/eval/embeddings/adaptation.ts [modelDir]   (needs `npm run models:build`)
 */
import fs from "node:fs";
import path from "node:path";
import { corpusTokenWeights } from "../../../lib/embeddings/corpus-weights";
import { StaticOnnxEmbedder } from "../../../lib/embeddings/static";

const root = path.resolve(import.meta.dirname, "../../..");
const nodeModules = path.join(root, "node_modules");

function readmeChunks(): { pkg: string; text: string }[] {
  const pkgs = fs
    .readdirSync(nodeModules)
    .filter((d) => !d.startsWith("."))
    .flatMap((d) => (d.startsWith("@") ? fs.readdirSync(path.join(nodeModules, d)).map((s) => `${d}/${s}`) : [d]))
    .sort();
  const chunks: { pkg: string; text: string }[] = [];
  for (const pkg of pkgs) {
    const file = ["README.md", "readme.md", "Readme.md"].map((n) => path.join(nodeModules, pkg, n)).find(fs.existsSync);
    const text = file ? fs.readFileSync(file, "utf8") : "";
    if (text.length < 1500) continue;
    let current = "";
    for (const para of text.split(/\n\s*\n/)) {
      if (current && current.length + para.length > 1000) {
        chunks.push({ pkg, text: current });
        current = "";
      }
      current += `${para.slice(0, 2000)}\n\n`;
    }
    if (current.trim()) chunks.push({ pkg, text: current });
  }
  return chunks;
}

const questions = fs
  .readFileSync(path.join(import.meta.dirname, "readme-questions.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { q: string; expect: string[] });

function report(name: string, rank: (q: string, i: number) => string[]): void {
  let r5 = 0, r10 = 0, mrr = 0;
  questions.forEach((q, i) => {
    const hit = rank(q.q, i).findIndex((pkg) => q.expect.includes(pkg));
    if (hit >= 0 && hit < 5) r5++;
    if (hit >= 0 && hit < 10) {
      r10++;
      mrr += 1 / (hit + 1);
    }
  });
  const n = questions.length;
  console.log(`${name.padEnd(8)} recall@5 ${(r5 / n).toFixed(2)}  recall@10 ${(r10 / n).toFixed(2)}  MRR@10 ${(mrr / n).toFixed(3)}`);
}

const chunks = readmeChunks();
const base = await StaticOnnxEmbedder.load({ modelDir: process.argv[2] ?? path.join(root, "models/wink-sif-100d") });
const encoded = chunks.map((c) => base.encode(c.text));
console.log(`${new Set(chunks.map((c) => c.pkg)).size} READMEs, ${chunks.length} chunks, ${questions.length} questions`);

// BM25 (k1 1.2, b 0.75) over the embedder's own tokens.
const df = new Map<number, number>();
for (const e of encoded) for (const id of new Set(e)) df.set(id, (df.get(id) ?? 0) + 1);
const avgLen = encoded.reduce((s, e) => s + e.length, 0) / encoded.length;
const termFreqs = encoded.map((e) => e.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<number, number>()));
const top10 = (scores: number[]) =>
  scores.map((s, d) => [s, d] as const).sort((a, b) => b[0] - a[0]).slice(0, 10).map(([, d]) => chunks[d]?.pkg ?? "");
report("bm25", (q) => {
  const terms = new Set(base.encode(q));
  return top10(
    termFreqs.map((tf, d) => {
      let s = 0;
      for (const id of terms) {
        const f = tf.get(id) ?? 0;
        const n = df.get(id) ?? 0;
        if (f) s += Math.log(1 + (chunks.length - n + 0.5) / (n + 0.5)) * ((f * 2.2) / (f + 1.2 * (0.25 + (0.75 * (encoded[d]?.length ?? 0)) / avgLen)));
      }
      return s;
    }),
  );
});

const sif = await base.defaultTokenWeights();
const variants: [string, StaticOnnxEmbedder][] = [
  ["sif", base],
  ["idf", await base.withTokenWeights(corpusTokenWeights(encoded, base.vocabularySize, { mode: "idf" }))],
  ["sif-idf", await base.withTokenWeights(corpusTokenWeights(encoded, base.vocabularySize, { mode: "sif-idf", sif }))],
];
for (const [name, embedder] of variants) {
  const passages = await embedder.embed(chunks.map((c) => c.text), { kind: "passage" });
  const queries = await embedder.embed(questions.map((q) => q.q), { kind: "query" });
  report(name, (_, i) => {
    const v = queries[i] ?? new Float32Array(0);
    return top10(passages.map((p) => p.reduce((s, x, k) => s + x * (v[k] ?? 0), 0)));
  });
  await embedder.close();
}
