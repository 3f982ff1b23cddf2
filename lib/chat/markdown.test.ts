import { describe, expect, it } from "vitest";
import { passageLinks, renderAnswer, renderPassage } from "./markdown";

describe("answer markdown", () => {
  it("renders markdown, escapes raw HTML and unsafe links, and turns citations into buttons", () => {
    const html = renderAnswer('**Refunds** take 14 days [1].\n\n<script>alert(1)</script>\n\nSee [link](javascript:alert(1)) and [site](https://example.com) ![x](http://e/x.png) [9]', (n) => n === 1);
    expect(html).toContain("<strong>Refunds</strong>");
    expect(html).toContain('<button type="button" class="cite" data-cite="1" aria-label="Source 1">1</button>');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">site</a>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("[9]");
  });

  it("renders a passage's Markdown safely, drops placeholder links, and marks only the question's words", () => {
    const html = renderPassage("### Creating a database\n\nUse `createdb` with [the guide](https://vouch.invalid/guide.html) or [docs](https://www.postgresql.org/docs/).\n\n<script>x()</script>", { question: "customer asks how to create a database with the tool" });
    expect(html).toContain("<h3>Creating a <mark>database</mark></h3>");
    expect(html).toContain("<code>createdb</code>");
    expect(html).toContain("the guide");
    expect(html).not.toContain("vouch.invalid");
    expect(html).toContain('<a href="https://www.postgresql.org/docs/"');
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<mark>with</mark>");
    expect(html).not.toContain("<mark>customer</mark>");
  });

  it("shades the sentences the answer cites, not the whole passage", () => {
    const passage = "Refunds for annual plans are possible within **14 days** of renewal. Monthly renewals are not refunded. Contact billing for invoices.";
    const html = renderPassage(passage, { claims: ["Monthly renewals are not refunded."] });
    expect(html).toContain('<mark class="cited">Monthly renewals are not refunded.</mark>');
    expect(html).not.toMatch(/<mark class="cited">[^<]*Refunds for annual/);
    expect(html).not.toMatch(/<mark class="cited">[^<]*Contact billing/);
  });

  it("links a passage's links to documents of the same knowledge base, and leaves others as text", () => {
    const html = renderPassage("See [SSL](../howto/ssl.html#setup) and [missing](nowhere.html).", { resolveLink: (h) => (h.startsWith("../howto") ? "/documents/d2?anchor=setup" : null) });
    expect(html).toContain('<a href="/documents/d2?anchor=setup" class="doc-link">SSL</a>');
    expect(html).toContain("missing");
    expect(html).not.toContain("nowhere.html");
    expect(passageLinks("See [SSL](../howto/ssl.html#setup), [web](https://e.org) and\n\n- [item](a.html)")).toEqual(["../howto/ssl.html#setup", "https://e.org", "a.html"]);
  });
});
