import { describe, expect, it } from "vitest";
import { extractMainContent, htmlToMarkdown } from "./html";

const page = (body: string, head = "<title>Manual</title>") => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe("HTML as Markdown", () => {
  it("keeps structure: nested and numbered lists, fenced code, quotes, emphasis and links", () => {
    const md = htmlToMarkdown(
      `<h2>Set up <a class="permalink" href="#setup">¶</a></h2>
       <ol start="3"><li>Open <b>Settings</b></li><li>Choose:<ul><li>Network</li><li><em>Proxy</em></li></ul></li></ol>
       <pre>Listen 80
Listen 8000</pre>
       <blockquote><p>Restart after a change.</p></blockquote>
       <p>See <a href="vhosts/index.html">Virtual Hosts</a> and <a href="javascript:x()">this</a>, using <code>httpd -t</code>.</p>`,
    );
    expect(md).toBe(
      "## Set up\n\n3. Open **Settings**\n4. Choose:\n  - Network\n  - _Proxy_\n\n```\nListen 80\nListen 8000\n```\n\n> Restart after a change.\n\n" +
        "See [Virtual Hosts](vhosts/index.html) and this, using `httpd -t`.",
    );
  });

  it("writes tables as pipe tables and drops one whose body held only navigation", () => {
    expect(htmlToMarkdown("<table><tr><th>Plan</th><th>Kept</th></tr><tr><td>Team</td><td>13 | 14 months</td></tr></table>")).toBe(
      "| Plan | Kept |\n| --- | --- |\n| Team | 13 \\| 14 months |",
    );
    expect(htmlToMarkdown("<table><tr><th>Related modules</th></tr><tr><td></td></tr></table>")).toBe("");
  });

  it("takes the page's main element, else its body without the furniture", async () => {
    const furnished = page(
      `<div id="page-header"><p>Apache HTTP Server</p></div><div id="path"><a href="/">Apache</a> &gt; <a href="/docs">Docs</a></div>
       <div class="sidebar"><ul><li><a href="#a">A</a></li><li><a href="#b">B</a></li></ul></div>
       <div id="page-content"><h1>Binding</h1><p>Listen tells the server which ports to accept requests on.</p></div>
       <div id="footer"><p>Copyright 2025</p></div>`,
    );
    expect(await extractMainContent(furnished)).toEqual({ title: "Binding", markdown: "# Binding\n\nListen tells the server which ports to accept requests on." });
    const semantic = page(`<div role="main"><h1>Credits</h1><p>Ten percent per hour.</p></div><div><p>Unrelated promo text.</p></div>`);
    expect((await extractMainContent(semantic)).markdown).toBe("# Credits\n\nTen percent per hour.");
  });

  it("falls back to Readability when the heuristics leave almost nothing of a long page", async () => {
    const words = "Refunds are paid to the original card within five business days of approval. ".repeat(12);
    const linky = page(`<h1>Refunds</h1><div class="menu-wrap"><p>${words}</p></div>`, "<title>Refunds</title>");
    expect((await extractMainContent(linky)).markdown).toContain("Refunds are paid to the original card");
  });

  it("keeps the links of a page that is all links (an index), without Readability's footer", async () => {
    const entries = Array.from({ length: 30 }, (_, i) => `<li><a href="mod_${i}.html">mod_${i}</a> directive index entry</li>`).join("");
    const index = page(`<div id="page-header"><p>Apache HTTP Server</p></div><div id="page-content"><h1>Directive Index</h1><ul>${entries}</ul></div><div id="footer"><p>Copyright 2026 The Apache Software Foundation.</p></div>`);
    const { markdown } = await extractMainContent(index);
    expect(markdown).toMatch(/^# Directive Index\n\n- \[mod_0\]\(mod_0\.html\) directive index entry/);
    expect(markdown).not.toContain("Copyright");
  });
});
