/**
 * HTML → main content (Readability) → Markdown (turndown). Scripts, styles
 * and navigation are dropped before and after Readability, so no script text
 * can reach the index even when Readability keeps a container that held one.
 */
import { Readability } from "@mozilla/readability";
import { JSDOM } from "jsdom";
import TurndownService from "turndown";
import { decodeText } from "./detect";
import { IngestError } from "./errors";
import { markdownDocument } from "./markdown";
import type { ParsedDocument, Parser } from "./types";

const EXECUTABLE = ["script", "style", "noscript", "template", "iframe", "object", "embed"] as const;
const DROP = ["script", "style", "noscript", "template", "iframe", "object", "embed", "nav", "form", "button", "svg", "canvas", "head", "link", "meta"] as const;

function cellText(cell: Element): string {
  return (cell.textContent ?? "").replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

/** A turndown instance that keeps tables as GFM pipe tables and does not escape text. */
function createTurndown(): TurndownService {
  const td = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", codeBlockStyle: "fenced", emDelimiter: "_" });
  // Escaping protects round-tripping to HTML, which we never do; it only adds noise to search text.
  td.escape = (s: string) => s;
  td.remove((node) => (DROP as readonly string[]).includes(node.nodeName.toLowerCase()));
  // turndown's default "-   item" padding is noise in search text; use "- item" / "1. item".
  td.addRule("listItem", {
    filter: "li",
    replacement: (content, node) => {
      const body = content.replace(/^\n+/, "").replace(/\n+$/, "\n").replace(/\n/gm, "\n  ");
      const parent = node.parentNode as HTMLElement | null;
      let prefix = "- ";
      if (parent?.nodeName === "OL") {
        const start = Number(parent.getAttribute("start") ?? "1") || 1;
        prefix = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
      }
      return prefix + body + (node.nextSibling && !body.endsWith("\n") ? "\n" : "");
    },
  });
  td.addRule("table", {
    filter: "table",
    replacement: (_content, node) => {
      const rows = Array.from((node as HTMLElement).getElementsByTagName("tr")).map((tr) =>
        Array.from(tr.children)
          .filter((c) => c.tagName === "TD" || c.tagName === "TH")
          .map(cellText),
      );
      const width = Math.max(0, ...rows.map((r) => r.length));
      if (width === 0) return "";
      const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? "").join(" | ")} |`;
      const [head = [], ...body] = rows;
      return `\n\n${[line(head), line(Array(width).fill("---")), ...body.map(line)].join("\n")}\n\n`;
    },
  });
  return td;
}

function stripUnsafe(root: ParentNode): void {
  for (const el of root.querySelectorAll(DROP.join(","))) el.remove();
}

/** Convert an HTML fragment (already the main content) to Markdown. */
export function htmlToMarkdown(html: string): string {
  const dom = new JSDOM(`<!doctype html><body>${html}</body>`);
  try {
    const body = dom.window.document.body;
    stripUnsafe(body);
    // Hand turndown the jsdom node itself, so rules see a full DOM (turndown's own parser is minimal).
    return createTurndown().turndown(body);
  } finally {
    dom.window.close();
  }
}

/** Main content of a full HTML page as Markdown, with its title. */
export function extractMainContent(html: string, url = "https://vouch.invalid/"): { title?: string; markdown: string } {
  // No runScripts and no resources: jsdom never executes or fetches anything.
  const dom = new JSDOM(html, { url });
  try {
    const document = dom.window.document;
    const pageTitle = document.title.trim() || undefined;
    // Executable and embedded content goes before Readability scores the page; <head> stays for its metadata.
    for (const el of document.querySelectorAll(EXECUTABLE.join(","))) el.remove();
    const h1 = document.querySelector("h1")?.textContent?.trim() || undefined;
    const article = new Readability(document.cloneNode(true) as Document, { keepClasses: false }).parse();
    const content = article?.content ?? document.body?.innerHTML ?? "";
    let markdown = htmlToMarkdown(content).trim();
    const title = h1 ?? article?.title?.trim() ?? pageTitle;
    // Readability demotes or drops the page's <h1>; restore it so heading paths start at the title.
    if (title && !/^#\s/.test(markdown)) {
      const lead = /^#{2,6}\s+(.*)\n?/.exec(markdown);
      markdown = lead && lead[1]?.trim() === title ? `# ${title}\n${markdown.slice(lead[0].length)}` : `# ${title}\n\n${markdown}`;
    }
    return { title: title || undefined, markdown };
  } finally {
    dom.window.close();
  }
}

export const htmlParser: Parser = {
  async parse({ bytes }, { signal, onPage }): Promise<ParsedDocument> {
    signal?.throwIfAborted();
    const { title, markdown } = extractMainContent(decodeText(bytes));
    const doc = markdownDocument("html", markdown, title);
    if (!doc.text.trim()) throw new IngestError("no_text", "the HTML page has no readable text content");
    onPage?.(1, 1);
    return doc;
  },
};
