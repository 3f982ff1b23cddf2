import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chunkDocument } from "@/ingest/chunk";
import { parseDocument } from "@/ingest/parse";
import { renderDocx } from "./build/docx-writer";
import { renderHtml } from "./build/html-writer";
import { parseHandbook } from "./build/model";
import { renderPdf } from "./build/pdf-writer";
import { SAMPLE_TOPICS, sampleFilePaths } from "./manifest";
import { loadSampleQuestions } from "./questions";

const root = path.resolve(import.meta.dirname, "../..");
const words = { countTokens: (t: string) => t.split(/\s+/).filter(Boolean).length };

describe("sample knowledge base", () => {
  it("ships every generated file, under 1 MB in total, in four formats", () => {
    const sizes = sampleFilePaths(root).map((f) => statSync(f).size);
    expect(sizes.every((s) => s > 0)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1024 * 1024);
    expect(new Set(SAMPLE_TOPICS.map((t) => t.format))).toEqual(new Set(["md", "html", "pdf", "docx"]));
  });

  it("committed files match what `npm run sample:build` generates from the sources", async () => {
    const sources = SAMPLE_TOPICS.map((t) => readFileSync(path.join(root, "ingest/sample-kb/source", t.source), "utf8"));
    const links = SAMPLE_TOPICS.map((t, i) => ({ title: parseHandbook(sources[i] ?? "").title, href: `/handbook/${t.file.replace(/\.[a-z]+$/, "")}` }));
    for (const [i, topic] of SAMPLE_TOPICS.entries()) {
      const md = sources[i] ?? "";
      const doc = parseHandbook(md);
      const built =
        topic.format === "md" ? new TextEncoder().encode(md) : topic.format === "html" ? new TextEncoder().encode(renderHtml(md, doc.title, links)) : topic.format === "pdf" ? await renderPdf(doc) : await renderDocx(doc);
      const committed = new Uint8Array(readFileSync(path.join(root, "ingest/sample-kb/files", topic.file)));
      expect(Buffer.compare(Buffer.from(built), Buffer.from(committed)), `${topic.file} is stale; run npm run sample:build`).toBe(0);
    }
  });

  it("every file parses into titled, headed chunks", async () => {
    let pdfPages = 0;
    for (const [i, file] of sampleFilePaths(root).entries()) {
      const topic = SAMPLE_TOPICS[i];
      const doc = await parseDocument({ bytes: new Uint8Array(readFileSync(file)), fileName: path.basename(file) });
      expect(doc.type).toBe({ md: "markdown", html: "html", pdf: "pdf", docx: "docx" }[topic?.format ?? "md"]);
      expect(doc.title).toBe(parseHandbook(readFileSync(path.join(root, "ingest/sample-kb/source", topic?.source ?? ""), "utf8")).title);
      const chunks = chunkDocument(doc, words);
      expect(chunks.length).toBeGreaterThan(3);
      expect(chunks.every((c) => c.headingPath[0] === doc.title)).toBe(true);
      if (doc.type === "pdf") pdfPages += doc.pages;
    }
    expect(pdfPages).toBeGreaterThanOrEqual(8);
  });

  it("questions name only shipped files, and every file is asked about", () => {
    const questions = loadSampleQuestions(path.join(root, "ingest/sample-kb/questions.jsonl"));
    expect(questions.length).toBeGreaterThanOrEqual(25);
    const files = new Set(SAMPLE_TOPICS.map((t) => t.file));
    for (const q of questions) for (const f of q.expect) expect(files.has(f), `${q.q} -> ${f}`).toBe(true);
    const asked = new Set(questions.flatMap((q) => q.expect));
    expect([...files].filter((f) => !asked.has(f))).toEqual([]);
  });
});
