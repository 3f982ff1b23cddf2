import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { markPassage } from "@/lib/chat/markdown";
import { safeHtml } from "./html";
import { passageItems, pdfPageLayout, renderPdfPage } from "./pdf-page";

describe("an HTML original made safe to read", () => {
  const page = `<html><head><title>SSL How-To</title><script>steal()</script><style>body{}</style></head>
    <body onload="x()"><nav><a href="index.html">Home</a></nav>
    <h1 id="top" onclick="x()">SSL <b>setup</b></h1>
    <p>Read <a href="../mod/mod_ssl.html#cert">mod_ssl</a>, <a href="#top">the top</a>, <a href="https://example.com">the web</a> and <a href="javascript:alert(1)">this</a>.</p>
    <img src="x.png" onerror="x()"><iframe src="https://evil.example"></iframe><form action="/x"><input name="a"></form>
    <table><tr><td colspan="2" style="color:red">cell &amp; &lt;b&gt;</td></tr></table></body></html>`;
  const safe = safeHtml(page, (href) => (href.startsWith("../mod/") ? "/documents/d2?anchor=cert" : null));

  it("keeps text elements and drops scripts, styles, handlers, embeds, forms and navigation", () => {
    expect(safe.title).toBe("SSL How-To");
    expect(safe.body).toContain('<h1 id="top">SSL <b>setup</b></h1>');
    expect(safe.body).toContain('<td colspan="2">cell &amp; &lt;b&gt;</td>');
    for (const bad of ["<script", "steal", "onload", "onclick", "onerror", "<iframe", "<form", "<input", "<img", "style=", "Home"]) expect(safe.body).not.toContain(bad);
  });

  it("leads links to documents of the knowledge base, keeps same-page anchors, and turns the rest into text", () => {
    expect(safe.body).toContain('<a href="/documents/d2?anchor=cert" target="_top">mod_ssl</a>');
    expect(safe.body).toContain('<a href="#top">the top</a>');
    expect(safe.body).toContain("the web and this.");
    expect(safe.body).not.toContain("example.com");
    expect(safe.body).not.toContain("javascript:");
  });

  it("shades the passage where the page says it, giving the first sentence the anchor", () => {
    const marked = markPassage(safe.body, "Read mod_ssl, the top, the web and this.");
    expect(marked.marked).toBe(true);
    expect(marked.html).toContain('<mark class="cited" id="vouch-passage">Read </mark>');
    expect(markPassage(safe.body, "Nothing of the sort is written anywhere here.").marked).toBe(false);
  });
});

describe("the passage on a PDF page", () => {
  const items = ["Shipping", "Orders placed before 2:00 p.m. ship", "the same day. Ground takes 3 to 5", "business days.", "Returns are accepted", "within 30 days."].map((str) => ({ str }));

  it("runs from where its first words appear to where its last ones do", () => {
    expect(passageItems(items, "Orders placed before 2:00 p.m. ship the same day. Ground takes 3 to 5 business days.").map((i) => i.str)).toEqual([
      "Orders placed before 2:00 p.m. ship",
      "the same day. Ground takes 3 to 5",
      "business days.",
    ]);
  });

  it("skips words the page does not show at the passage's start (a heading path), and finds nothing absent", () => {
    expect(passageItems(items, "Policies › Returns. Returns are accepted within 30 days.").map((i) => i.str)).toEqual(["Returns are accepted", "within 30 days."]);
    expect(passageItems(items, "Completely different words about invoices and taxes.")).toEqual([]);
  });

  it("starts at the top of the page when the passage began on an earlier one", () => {
    const earlier = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    expect(passageItems(items, `${earlier} Shipping Orders placed before 2:00 p.m. ship the same day. Ground takes 3`).map((i) => i.str)).toEqual(items.slice(0, 3).map((i) => i.str));
  });
});

describe("a PDF page drawn with its passage", () => {
  const pdf = fs.readFile("ingest/sample-kb/files/refunds-and-returns.pdf").then((b) => new Uint8Array(b));
  const passage = "How refunds are paid. Refunds always go back to the original payment method. Card refunds usually appear on the customer's statement within 5 to 10 business days";

  it("says where the shading lies, at the size the image is drawn, so the viewer can scroll there before it loads", async () => {
    const layout = await pdfPageLayout(await pdf, 3, passage);
    const image = await renderPdfPage(await pdf, 3, passage);
    // A PNG's width and height are the first fields of its IHDR chunk.
    expect([image.png.readUInt32BE(16), image.png.readUInt32BE(20)]).toEqual([layout.width, layout.height]);
    expect(image.marked).toBe(true);
    // The passage starts halfway down page 3.
    expect(layout.passage!.top).toBeGreaterThan(0.4);
    expect(layout.passage!.bottom).toBeGreaterThan(layout.passage!.top);
    expect(layout.passage!.bottom).toBeLessThanOrEqual(1);
    expect((await pdfPageLayout(await pdf, 1, passage)).passage).toBeUndefined();
  });
});
