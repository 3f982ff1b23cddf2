/**
 * The plain pipeline a user could write in an afternoon, to measure Vouch's ingestion
 * against (issue 19): cheerio's text of each HTML page, pdf.js's text of each PDF page,
 * mammoth's raw text of each DOCX; LangChain's RecursiveCharacterTextSplitter (1,000
 * characters, 200 overlap), the same embedder as Vouch, one LanceDB table with a
 * full-text index. No structure, no bookkeeping, no safety checks. Run as a child by
 * `bench:ingest -- --compare`:
 *   node --import tsx tools/bench/ingest/plain.ts <folder> <out-folder>
 * Prints one JSON line: files, pages (a PDF's pages, one for any other file), chunks.
 */
import fs from "node:fs";
import path from "node:path";
import * as lancedb from "@lancedb/lancedb";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import * as cheerio from "cheerio";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings";
import { getEnv } from "@/lib/env";
import { startWithNativeSettings } from "@/scripts/_cli";
import { corpusFiles } from "./folder";

await startWithNativeSettings();

const [folder, out] = process.argv.slice(2);
if (!folder || !out) throw new Error("usage: plain.ts <folder> <out-folder>");
const embedder = await createEmbedder(embedderConfigFromEnv(getEnv()));
const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
const rows: { id: string; file: string; text: string; vector: number[] }[] = [];
let pages = 0;

/** The file's text, and how many pages it counts for. */
async function textOf(file: string): Promise<{ text: string; pages: number }> {
  const bytes = fs.readFileSync(file);
  if (/\.pdf$/i.test(file)) {
    const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    const texts: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      texts.push(content.items.map((i) => ("str" in i ? i.str + (i.hasEOL ? "\n" : " ") : "")).join(""));
    }
    await pdf.destroy();
    return { text: texts.join("\n\n"), pages: texts.length };
  }
  if (/\.docx$/i.test(file)) {
    const { default: mammoth } = await import("mammoth");
    return { text: (await mammoth.extractRawText({ buffer: bytes })).value, pages: 1 };
  }
  const $ = cheerio.load(bytes.toString("utf8"));
  $("script, style, noscript").remove();
  return { text: $("body").text(), pages: 1 };
}

for (const file of corpusFiles(folder)) {
  const { text, pages: n } = await textOf(file);
  pages += n;
  const chunks = await splitter.splitText(text);
  for (let i = 0; i < chunks.length; i += embedder.maxBatch) {
    const slice = chunks.slice(i, i + embedder.maxBatch);
    const vectors = await embedder.embed(slice, { kind: "passage" });
    slice.forEach((text, j) => rows.push({ id: `${path.relative(folder, file)}:${i + j}`, file, text, vector: Array.from(vectors[j]!) }));
  }
}
const db = await lancedb.connect(out);
const table = await db.createTable("chunks", rows);
await table.createIndex("text", { config: lancedb.Index.fts() });
console.log(JSON.stringify({ files: new Set(rows.map((r) => r.file)).size, pages, chunks: rows.length }));
process.exit(0);
