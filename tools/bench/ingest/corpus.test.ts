import { describe, expect, it } from "vitest";
import { parseDocument } from "@/ingest/parse";
import { DEFAULT_PLAN, generateCorpus, scalePlan, type CorpusPlan } from "./corpus";
import { renderBenchPdf } from "./pdf";
import { seededRandom } from "@/lib/random";
import { generateHandbook } from "./prose";

describe("benchmark corpus", () => {
  it("generates the same handbook for the same seed, and a different one for another seed", () => {
    const a = generateHandbook(11, 600);
    expect(generateHandbook(11, 600)).toEqual(a);
    expect(generateHandbook(12, 600).markdown).not.toBe(a.markdown);
    expect(a.markdown.startsWith(`# ${a.title}\n\n`)).toBe(true);
    expect(a.markdown.split(/\s+/).length).toBeGreaterThanOrEqual(600);
    expect(a.markdown).toMatch(/^## /m);
    expect(a.markdown).toMatch(/^### /m);
  });

  it("draws from a seeded generator in [0, 1)", () => {
    const draws = Array.from({ length: 1000 }, seededRandom(3));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Array.from({ length: 3 }, seededRandom(3))).toEqual(draws.slice(0, 3));
  });

  it("plans at least 2,000 pipeline pages at scale 1 and scales file counts", () => {
    // A PDF page holds about 490 generated words; every other format counts one page.
    const pages = DEFAULT_PLAN.files.pdf.count * Math.floor(DEFAULT_PLAN.files.pdf.words / 490) + DEFAULT_PLAN.files.docx.count + DEFAULT_PLAN.files.html.count + DEFAULT_PLAN.files.md.count;
    expect(pages).toBeGreaterThanOrEqual(2000);
    expect(scalePlan(DEFAULT_PLAN, 0.01).files).toEqual({ pdf: { count: 1, words: 80_000 }, docx: { count: 1, words: 900 }, html: { count: 1, words: 900 }, md: { count: 1, words: 900 } });
  });

  it("renders a PDF whose pages parse back to the handbook's headings", async () => {
    const { title, markdown } = generateHandbook(5, 2500);
    const parsed = await parseDocument({ bytes: await renderBenchPdf(title, markdown), fileName: "h.pdf" });
    expect(parsed.type).toBe("pdf");
    expect(parsed.pages).toBeGreaterThanOrEqual(5);
    const headings = parsed.blocks.filter((b) => b.kind === "heading").map((b) => b.text);
    expect(headings.slice(0, 2)).toEqual([...markdown.matchAll(/^#{1,3} (.*)$/gm)].slice(0, 2).map((m) => m[1]));
  });

  it("yields every planned file, interleaved by format, with stable bytes", async () => {
    const plan: CorpusPlan = { seed: 1, files: { pdf: { count: 1, words: 300 }, docx: { count: 2, words: 200 }, html: { count: 1, words: 200 }, md: { count: 2, words: 200 } } };
    const files = [];
    for await (const f of generateCorpus(plan)) files.push(f);
    expect(files.map((f) => f.fileName)).toEqual(["pdf-0000.pdf", "docx-0000.docx", "html-0000.html", "md-0000.md", "docx-0001.docx", "md-0001.md"]);
    const again = [];
    for await (const f of generateCorpus(plan)) again.push(f);
    expect(again.map((f) => Buffer.from(f.bytes).toString("base64"))).toEqual(files.map((f) => Buffer.from(f.bytes).toString("base64")));
  });
});
