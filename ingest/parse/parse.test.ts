import { deflateRawSync } from "node:zlib";
import { Document, ExternalHyperlink, LevelFormat, Packer, Paragraph, TextRun } from "docx";
import { describe, expect, it } from "vitest";
import { createDocxParser } from "./docx";
import { IngestError } from "./errors";
import { bytesOf, makeDocx, makeEncryptedPdf, makeImageOnlyPdf, makePdf, makeScannedPdf, makeZip } from "./fixtures/make";
import { createPdfParser } from "./pdf";
import { parseDocument } from "./registry";

// Taken before any test loads pdf.js (it loads lazily, on the first PDF).
const enginePush = Array.prototype.push;
const engineJsonParse = JSON.parse;
const parse = (bytes: Uint8Array, fileName: string) => parseDocument({ bytes, fileName });

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    const e = err as IngestError;
    return { code: e.code, message: e.message };
  }
  throw new Error("expected an IngestError");
}

describe("parsers, normal path", () => {
  it("PDF: text per page, headings by font size, page numbers on blocks", async () => {
    const bytes = await makePdf([["# Refund Policy", "Refunds are issued within 14 days", "of purchase.", "", "Second paragraph here."], ["# Shipping", "We ship worldwide."]], "Handbook");
    const pages: string[] = [];
    const doc = await parseDocument({ bytes, fileName: "h.pdf" }, { onPage: (n, total) => pages.push(`${n}/${total}`) });
    expect(pages).toEqual(["1/2", "2/2"]);
    expect(doc).toEqual({
      type: "pdf",
      title: "Handbook",
      pages: 2,
      text: "# Refund Policy\n\nRefunds are issued within 14 days of purchase.\n\nSecond paragraph here.\n\n# Shipping\n\nWe ship worldwide.",
      blocks: [
        { kind: "heading", text: "Refund Policy", level: 1, page: 1, start: 0, end: 15 },
        { kind: "paragraph", text: "Refunds are issued within 14 days of purchase.", page: 1, start: 17, end: 63 },
        { kind: "paragraph", text: "Second paragraph here.", page: 1, start: 65, end: 87 },
        { kind: "heading", text: "Shipping", level: 1, page: 2, start: 89, end: 99 },
        { kind: "paragraph", text: "We ship worldwide.", page: 2, start: 101, end: 119 },
      ],
    });
  });

  it("DOCX: Word heading styles become Markdown headings, tables become pipe tables", async () => {
    const doc = await parse(await makeDocx(), "travel.docx");
    expect(doc.title).toBe("Travel Policy");
    expect(doc.text).toBe("# Travel Policy\n\nEmployees book travel through the portal.\n\n## Hotels\n\nThe nightly cap is **$180**.\n\n| City | Cap |\n| --- | --- |\n| London | $240 |");
    expect(doc.blocks.map((b) => [b.kind, b.level ?? null, b.text])).toEqual([
      ["heading", 1, "Travel Policy"],
      ["paragraph", null, "Employees book travel through the portal."],
      ["heading", 2, "Hotels"],
      ["paragraph", null, "The nightly cap is **$180**."],
      ["table", null, "| City | Cap |\n| --- | --- |\n| London | $240 |"],
    ]);
  });

  it("DOCX: numbered and bulleted lists, links, emphasis and the Title style, read from the XML", async () => {
    const doc = new Document({
      numbering: { config: [{ reference: "steps", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1." }] }] },
      sections: [
        {
          children: [
            new Paragraph({ text: "Expense Guide", style: "Title" }),
            new Paragraph({ children: [new TextRun("Claims go through the "), new ExternalHyperlink({ link: "https://example.com/portal", children: [new TextRun("portal")] }), new TextRun({ text: " only", italics: true }), new TextRun(".")] }),
            new Paragraph({ text: "Scan the receipt.", numbering: { reference: "steps", level: 0 } }),
            new Paragraph({ text: "Submit the claim.", numbering: { reference: "steps", level: 0 } }),
            new Paragraph({ text: "Taxis", bullet: { level: 0 } }),
            new Paragraph({ text: "Late-night taxis", bullet: { level: 1 } }),
          ],
        },
      ],
    });
    const parsed = await parse(new Uint8Array(await Packer.toBuffer(doc)), "expenses.docx");
    expect(parsed.title).toBe("Expense Guide");
    expect(parsed.blocks.map((b) => [b.kind, b.text])).toEqual([
      ["heading", "Expense Guide"],
      ["paragraph", "Claims go through the [portal](https://example.com/portal) _only_."],
      ["list", "1. Scan the receipt.\n2. Submit the claim.\n- Taxis\n  - Late-night taxis"],
    ]);
  });

  it("HTML: main content only, as Markdown, with the page heading restored", async () => {
    const html = `<!doctype html><html><head><title>Outage credits | Acme</title></head><body>
      <nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
      <main><h1>Outage credits</h1>
      <p>We credit 10% of the monthly fee for each hour of downtime beyond the SLA, up to 50%.</p>
      <h2>Claims</h2><p>Claims must be filed within 30 days of the incident by contacting support.</p>
      <ul><li>Include the incident ID</li><li>Include the affected region</li></ul></main>
      <footer>Copyright Acme</footer></body></html>`;
    const doc = await parse(bytesOf(html), "credits.html");
    expect(doc.title).toBe("Outage credits");
    expect(doc.text).toBe(
      "# Outage credits\n\nWe credit 10% of the monthly fee for each hour of downtime beyond the SLA, up to 50%.\n\n## Claims\n\nClaims must be filed within 30 days of the incident by contacting support.\n\n- Include the incident ID\n- Include the affected region",
    );
    expect(doc.blocks.map((b) => b.kind)).toEqual(["heading", "paragraph", "heading", "paragraph", "list"]);
    for (const b of doc.blocks.filter((x) => x.kind !== "heading")) expect(doc.text.slice(b.start, b.end)).toBe(b.text);
  });

  it("Markdown: blocks with exact offsets", async () => {
    const doc = await parse(bytesOf("# A\r\n\r\nPara one.\r\n\r\n## B\r\n\r\n1. x\r\n2. y\r\n\r\n```\r\ncode\r\n```\r\n"), "a.md");
    expect(doc).toEqual({
      type: "markdown",
      title: "A",
      pages: 1,
      text: "# A\n\nPara one.\n\n## B\n\n1. x\n2. y\n\n```\ncode\n```",
      blocks: [
        { kind: "heading", text: "A", level: 1, start: 0, end: 3 },
        { kind: "paragraph", text: "Para one.", start: 5, end: 14 },
        { kind: "heading", text: "B", level: 2, start: 16, end: 20 },
        { kind: "list", text: "1. x\n2. y", start: 22, end: 31 },
        { kind: "code", text: "```\ncode\n```", start: 33, end: 45 },
      ],
    });
  });

  it("Markdown: text outside any lexer block is kept as a paragraph; rules are dropped", async () => {
    const doc = await parse(bytesOf("Intro\n\n---\n\n[ref]: https://example.com\n\nOutro"), "a.md");
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ["paragraph", "Intro"],
      ["paragraph", "[ref]: https://example.com"],
      ["paragraph", "Outro"],
    ]);
  });

  it("plain text: paragraphs by blank lines, pages by form feeds", async () => {
    const doc = await parse(bytesOf("First para\nstill first.\n\n- a\n- b\fPage two."), "notes.txt");
    expect(doc).toEqual({
      type: "text",
      pages: 2,
      text: "First para\nstill first.\n\n- a\n- b\n\nPage two.",
      blocks: [
        { kind: "paragraph", text: "First para\nstill first.", page: 1, start: 0, end: 23 },
        { kind: "list", text: "- a\n- b", page: 1, start: 25, end: 32 },
        { kind: "paragraph", text: "Page two.", page: 2, start: 34, end: 43 },
      ],
    });
  });

  it("CSV: one record per row, quoted fields kept whole, empty cells left out", async () => {
    const doc = await parse(bytesOf('name,age,note\r\nAlice,30,"likes, commas"\r\nBob,,"multi\nline ""quoted"""\r\n'), "people.csv");
    expect(doc).toEqual({
      type: "csv",
      pages: 1,
      text: 'name: Alice; age: 30; note: likes, commas\nname: Bob; note: multi line "quoted"',
      blocks: [
        { kind: "record", text: "name: Alice; age: 30; note: likes, commas", start: 0, end: 41 },
        { kind: "record", text: 'name: Bob; note: multi line "quoted"', start: 42, end: 78 },
      ],
    });
  });

  it("CSV: semicolon-delimited exports are sniffed", async () => {
    const doc = await parse(bytesOf("sku;price\nNW-1;19,99\n"), "prices.csv");
    expect(doc.text).toBe("sku: NW-1; price: 19,99");
  });
});

describe("parsers, bad input", () => {
  it("an empty file", async () => {
    expect(await failure(parse(new Uint8Array(0), "x.pdf"))).toEqual({ code: "empty_file", message: "empty file" });
  });

  it("a type we cannot parse, with the type named", async () => {
    expect(await failure(parse(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), "scan.pdf"))).toEqual({
      code: "unsupported_type",
      message: "unsupported type: image/png",
    });
    expect((await failure(parse(makeZip([{ name: "a.txt", data: bytesOf("x") }]), "nested.zip"))).message).toMatch(/^unsupported type: application\/zip/);
  });

  it("an encrypted PDF", async () => {
    expect(await failure(parse(makeEncryptedPdf(), "secret.pdf"))).toEqual({
      code: "encrypted_pdf",
      message: '"secret.pdf" is an encrypted (password-protected) PDF; remove the password and upload it again',
    });
  });

  it("a corrupt or truncated PDF", async () => {
    expect((await failure(parse(bytesOf("%PDF-1.7\nnot really a pdf\n"), "bad.pdf"))).code).toBe("corrupt_file");
    const good = await makePdf([["hello"]]);
    const truncated = await failure(parse(good.slice(0, good.length >> 1), "cut.pdf"));
    expect(truncated.code).toBe("corrupt_file");
    expect(truncated.message).toMatch(/^"cut\.pdf" is a corrupt or unreadable PDF/);
  });

  it("a scanned PDF: says to install tesseract where it is missing, and says when OCR found nothing", async () => {
    const bytes = await makeScannedPdf(["A page of a scan."]);
    const noOcr = createPdfParser({ ocr: { available: async () => false, recognise: async () => expect.fail("OCR is not available") } });
    expect(await failure(noOcr.parse({ bytes, fileName: "scan.pdf" }, {}))).toEqual({
      code: "no_text_layer",
      message: '"scan.pdf" is a scanned PDF (1 of 1 pages are images without text): install tesseract-ocr and tesseract-ocr-eng to index it',
    });
    const images: number[] = [];
    const blank = createPdfParser({ ocr: { available: async () => true, recognise: async (png) => (images.push(png.length), "  \n\n") } });
    expect(await failure(blank.parse({ bytes, fileName: "scan.pdf" }, {}))).toEqual({ code: "no_text", message: '"scan.pdf" is a scanned PDF in which OCR found no text' });
    expect(images).toHaveLength(1); // the page, rendered to a PNG
    // A page with only a drawing (no text, no image) is not a scan: nothing is sent to OCR.
    expect(await failure(blank.parse({ bytes: await makeImageOnlyPdf(), fileName: "drawing.pdf" }, {}))).toEqual({ code: "no_text_layer", message: '"drawing.pdf" has no text layer and no page images' });
    expect(images).toHaveLength(1);
  });

  it("a scanned PDF's pages become paragraphs marked as OCR, with their page numbers", async () => {
    const ocr = { available: async () => true, recognise: async () => "Refund Policy\n\nRefunds are paid to the origi-\nnal card within five\nbusiness days.\n\n\f" };
    const doc = await createPdfParser({ ocr }).parse({ bytes: await makeScannedPdf(["Refund Policy"]), fileName: "scan.pdf" }, {});
    expect(doc.blocks).toEqual([
      { kind: "paragraph", text: "Refund Policy", page: 1, ocr: true, start: 0, end: 13 },
      { kind: "paragraph", text: "Refunds are paid to the original card within five business days.", page: 1, ocr: true, start: 15, end: 79 },
    ]);
  });

  it("a corrupt DOCX", async () => {
    const fake = makeZip([{ name: "word/document.xml", data: bytesOf("<not-word") }]);
    expect((await failure(parse(fake, "broken.docx"))).code).toBe("corrupt_file");
    const hollow = makeZip([{ name: "other.xml", data: bytesOf("<x/>") }]);
    expect(await failure(parse(hollow, "hollow.docx"))).toEqual({
      code: "corrupt_file",
      message: '"hollow.docx" is not a valid Word document (word/document.xml is missing); re-save it as .docx and upload it again',
    });
  });

  it("a DOCX bomb is refused before anything is inflated", async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const bomb = makeZip([
      { name: "word/document.xml", data: bytesOf("<w:document/>") },
      { name: "word/media/filler.bin", data: zeros },
    ]);
    const refused = await failure(parse(bomb, "bomb.docx"));
    expect(refused.code).toBe("archive_bomb");
    // The exact ratio depends on the zlib build, so only its shape is pinned.
    expect(refused.message).toMatch(/^archive entry "word\/media\/filler\.bin" expands \d+:1, over the compression ratio limit of 100:1 \(possible zip bomb\)$/);
    // A part that lies about its size is caught while inflating, whatever it declared (parts never read are never inflated).
    const liar = makeZip([{ name: "word/document.xml", data: new Uint8Array(64 * 1024), declaredSize: 10 }]);
    const small = createDocxParser({ maxEntries: 100, maxTotalBytes: 1024 * 1024, maxRatio: 100 });
    expect((await failure(small.parse({ bytes: liar, fileName: "liar.docx" }, {}))).code).toBe("archive_bomb");
    expect(deflateRawSync(zeros).length).toBeLessThan(zeros.length / 100);
  });

  it("HTML full of scripts: no script, style or nav text survives", async () => {
    const html = `<!doctype html><html><head><script>var headSecret = "SCRIPT_HEAD";</script><style>.x{content:"STYLE_TEXT"}</style></head><body>
      <nav>NAV_TEXT <a href="#">menu</a></nav>
      <script>document.write("SCRIPT_BODY")</script><noscript>NOSCRIPT_TEXT</noscript>
      <article><h1>Billing cycles</h1><p>Invoices are issued on the 1st of each month and are due within 15 days.</p>
      <script type="application/ld+json">{"x":"SCRIPT_JSON"}</script>
      <p onclick="alert('HANDLER')">Late payments incur a 1.5% monthly fee after a 10-day grace period.</p>
      <iframe srcdoc="IFRAME_TEXT"></iframe><template>TEMPLATE_TEXT</template></article>
      ${"<script>var filler = 'SCRIPT_FILL';</script>".repeat(200)}
      </body></html>`;
    const doc = await parse(bytesOf(html), "billing.html");
    expect(doc.text).toContain("Invoices are issued on the 1st of each month and are due within 15 days.");
    expect(doc.text).toContain("Late payments incur a 1.5% monthly fee after a 10-day grace period.");
    for (const marker of ["SCRIPT_HEAD", "STYLE_TEXT", "NAV_TEXT", "SCRIPT_BODY", "NOSCRIPT_TEXT", "SCRIPT_JSON", "HANDLER", "IFRAME_TEXT", "TEMPLATE_TEXT", "SCRIPT_FILL", "<script"]) {
      expect(doc.text).not.toContain(marker);
    }
  });

  it("an aborted parse stops with the signal's reason", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(parseDocument({ bytes: await makePdf([["x"]]), fileName: "a.pdf" }, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    await expect(parseDocument({ bytes: bytesOf("# x"), fileName: "a.md" }, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("HTML with only scripts has no text", async () => {
    expect((await failure(parse(bytesOf("<html><body><script>alert(1)</script></body></html>"), "x.html"))).code).toBe("no_text");
  });
});

describe("process-wide side effects", () => {
  it("leaves the engine's own Array.prototype.push and JSON.parse after a PDF (pdf.js's bundled core-js replaces them)", async () => {
    await parseDocument({ bytes: await makePdf([["Hello."]]), fileName: "p.pdf" });
    expect(Array.prototype.push).toBe(enginePush);
    expect(JSON.parse).toBe(engineJsonParse);
  });
});
