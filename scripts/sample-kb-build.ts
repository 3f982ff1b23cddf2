/**
 * npm run sample:build — regenerates ingest/sample-kb/files/ from the
 * Markdown sources. Output is deterministic (pinned dates), so re-running it
 * on an unchanged source changes no bytes.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderDocx } from "@/ingest/sample-kb/build/docx-writer";
import { renderHtml } from "@/ingest/sample-kb/build/html-writer";
import { parseHandbook } from "@/ingest/sample-kb/build/model";
import { renderPdf } from "@/ingest/sample-kb/build/pdf-writer";
import { SAMPLE_FILES_DIR, SAMPLE_TOPICS } from "@/ingest/sample-kb/manifest";

const root = path.resolve(import.meta.dirname, "..");
const sourceDir = path.join(root, "ingest/sample-kb/source");
const outDir = path.join(root, SAMPLE_FILES_DIR);

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const expected = new Set(SAMPLE_TOPICS.map((t) => t.file));
  for (const stale of readdirSync(outDir)) if (!expected.has(stale)) rmSync(path.join(outDir, stale));

  const sources = SAMPLE_TOPICS.map((t) => ({ topic: t, markdown: readFileSync(path.join(sourceDir, t.source), "utf8") }));
  const links = sources.map(({ topic, markdown }) => ({ title: parseHandbook(markdown).title, href: `/handbook/${topic.file.replace(/\.[a-z]+$/, "")}` }));
  let total = 0;
  for (const { topic, markdown } of sources) {
    const doc = parseHandbook(markdown);
    let bytes: Uint8Array;
    if (topic.format === "md") bytes = new TextEncoder().encode(markdown);
    else if (topic.format === "html") bytes = new TextEncoder().encode(renderHtml(markdown, doc.title, links));
    else if (topic.format === "pdf") bytes = await renderPdf(doc);
    else bytes = await renderDocx(doc);
    writeFileSync(path.join(outDir, topic.file), bytes);
    total += bytes.length;
    const words = markdown.split(/\s+/).filter(Boolean).length;
    const sha = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    console.log(`${topic.file.padEnd(44)} ${String(bytes.length).padStart(8)} bytes  ${String(words).padStart(5)} words  sha256 ${sha}`);
  }
  console.log(`${SAMPLE_TOPICS.length} files, ${total} bytes in ${path.relative(root, outDir)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
