/**
 * HTML → main content → Markdown, on htmlparser2's tree: the page's own content found by
 * its semantics or by removing its furniture (html-main.ts), then converted in one walk
 * (html-markdown.ts). Readability over jsdom is only the fallback for a page where that
 * finds nothing. Scripts, styles and embedded content are never read, so no script text
 * can reach the index.
 */
import type { Document, Element } from "domhandler";
import { parseDocument } from "htmlparser2";
import { decodeText } from "./detect";
import { IngestError } from "./errors";
import { findAll, semanticMain, stripFurniture } from "./html-main";
import { domToMarkdown, textOf } from "./html-markdown";
import { markdownDocument } from "./markdown";
import type { ParsedDocument, Parser } from "./types";

/** Less text than this from the heuristics, on a page with much more, sends it to Readability. */
const TOO_LITTLE = 200;

/** Convert an HTML fragment (already the main content) to Markdown. */
export function htmlToMarkdown(html: string): string {
  return domToMarkdown(parseDocument(html));
}

const plainLength = (root: Document | Element) => root.children.map(textOf).join("").replace(/\s+/g, "").length;

/** Main content of a full HTML page as Markdown, with its title. */
export async function extractMainContent(html: string): Promise<{ title?: string; markdown: string }> {
  const doc = parseDocument(html);
  const titleEl = findAll(doc, (el) => el.name === "title")[0];
  const pageTitle = titleEl ? textOf(titleEl).replace(/\s+/g, " ").trim() || undefined : undefined;
  const h1 = findAll(doc, (el) => el.name === "h1").map((el) => textOf(el).replace(/\s+/g, " ").trim()).find(Boolean);
  const total = plainLength(doc); // before the furniture is taken out
  let markdown = mainMarkdown(doc);
  if (markdown.replace(/\s+/g, "").length < TOO_LITTLE && total > 3 * TOO_LITTLE) {
    const { readabilityContent } = await import("./html-readability");
    const content = readabilityContent(html);
    if (content) markdown = htmlToMarkdown(content).trim();
  }
  const title = h1 ?? pageTitle;
  // Heading paths start at the title: restore the page's <h1> when the content lost or demoted it.
  if (title && !/^#\s/.test(markdown)) {
    const lead = /^#{2,6}\s+(.*)\n?/.exec(markdown);
    markdown = lead && lead[1]?.trim() === title ? `# ${title}\n${markdown.slice(lead[0].length)}` : `# ${title}\n\n${markdown}`;
  }
  return { title, markdown };
}

function mainMarkdown(doc: Document): string {
  const main = semanticMain(doc);
  if (main) return domToMarkdown(main).trim();
  const body = findAll(doc, (el) => el.name === "body")[0] ?? doc;
  stripFurniture(body);
  return domToMarkdown(body).trim();
}

export const htmlParser: Parser = {
  async parse({ bytes }, { signal, onPage }): Promise<ParsedDocument> {
    signal?.throwIfAborted();
    const { title, markdown } = await extractMainContent(decodeText(bytes));
    const doc = markdownDocument("html", markdown, title);
    if (!doc.text.trim()) throw new IngestError("no_text", "the HTML page has no readable text content");
    onPage?.(1, 1);
    return doc;
  },
};

