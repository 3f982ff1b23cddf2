import { describe, expect, it } from "vitest";
import { linkTarget, viewerHref } from "./links";

describe("links between documents of a knowledge base", () => {
  it("resolves relative links against the linking document's folder, keeping the fragment", () => {
    expect(linkTarget("manual/mod/mod_ssl.html", "../howto/ssl.html#setup")).toEqual({ fileName: "manual/howto/ssl.html", fragment: "setup" });
    expect(linkTarget("guide.html", "other%20page.html?x=1")).toEqual({ fileName: "other page.html" });
    expect(linkTarget("a/b.md", "./c.md")).toEqual({ fileName: "a/c.md" });
  });

  it("reads the placeholder addresses older passages carry", () => {
    expect(linkTarget("x/y.html", "https://vouch.invalid/manual/ssl.html#top")).toEqual({ fileName: "manual/ssl.html", fragment: "top" });
  });

  it("leaves web links, same-page anchors and links out of the knowledge base alone", () => {
    expect(linkTarget("a.html", "https://example.com/a.html")).toBeNull();
    expect(linkTarget("a.html", "mailto:x@example.com")).toBeNull();
    expect(linkTarget("a.html", "javascript:alert(1)")).toBeNull();
    expect(linkTarget("a.html", "#section")).toBeNull();
    expect(linkTarget("a.html", "../../etc/passwd")).toBeNull();
    expect(linkTarget("a.html", "//evil.example/x")).toBeNull();
  });

  it("opens the viewer at the fragment", () => {
    expect(viewerHref("d1", "a b")).toBe("/documents/d1?anchor=a%20b");
    expect(viewerHref("d1")).toBe("/documents/d1");
  });
});
