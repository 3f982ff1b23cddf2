/**
 * The plain pipeline a user could write in an afternoon, to measure Vouch's ingestion
 * against (issue 19): cheerio's text of each HTML page, LangChain's
 * RecursiveCharacterTextSplitter (1,000 characters, 200 overlap), the same embedder
 * as Vouch, one LanceDB table with a full-text index. No structure, no bookkeeping,
 * no safety checks. Run as a child by `bench:ingest -- --compare`:
 *   node --import tsx tools/bench/ingest/plain.ts <folder> <out-folder>
 * Prints one JSON line: files, chunks.
 */
import fs from "node:fs";
import path from "node:path";
import * as lancedb from "@lancedb/lancedb";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import * as cheerio from "cheerio";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings";
import { getEnv } from "@/lib/env";
import { startWithNativeSettings } from "@/scripts/_cli";
import { htmlFiles } from "./folder";

await startWithNativeSettings();

const [folder, out] = process.argv.slice(2);
if (!folder || !out) throw new Error("usage: plain.ts <folder> <out-folder>");
const embedder = await createEmbedder(embedderConfigFromEnv(getEnv()));
const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
const rows: { id: string; file: string; text: string; vector: number[] }[] = [];
for (const file of htmlFiles(folder)) {
  const $ = cheerio.load(fs.readFileSync(file, "utf8"));
  $("script, style, noscript").remove();
  const chunks = await splitter.splitText($("body").text());
  for (let i = 0; i < chunks.length; i += embedder.maxBatch) {
    const slice = chunks.slice(i, i + embedder.maxBatch);
    const vectors = await embedder.embed(slice, { kind: "passage" });
    slice.forEach((text, j) => rows.push({ id: `${path.relative(folder, file)}:${i + j}`, file, text, vector: Array.from(vectors[j]!) }));
  }
}
const db = await lancedb.connect(out);
const table = await db.createTable("chunks", rows);
await table.createIndex("text", { config: lancedb.Index.fts() });
console.log(JSON.stringify({ files: new Set(rows.map((r) => r.file)).size, chunks: rows.length }));
process.exit(0);
