/**
 * HTML → main content → Markdown blocks, on a light element tree (html-tree.ts): the
 * page's own content found by its semantics or by removing its furniture (html-main.ts),
 * then converted in one walk (html-markdown.ts) straight into the document's blocks.
 * Readability over jsdom is only the fallback for a page where that finds too little.
 * Scripts, styles and embedded content are never read, so no script text can reach the index.
 */
import { decodeText } from "./detect";
import { IngestError } from "./errors";
import { findAll, semanticMain, textLength, withoutFurniture } from "./html-main";
import { domToBlocks, domToMarkdown, textOf, type MarkdownBlock } from "./html-markdown";
import { parseHtml, type HtmlElement } from "./html-tree";
import { firstHeading, normalizeText, plainInline } from "./markdown";
import type { Block, ParsedDocument, Parser } from "./types";

/** Less text than this from the heuristics, on a page with much more, sends it to Readability. */
const TOO_LITTLE = 200;

/** Convert an HTML fragment (already the main content) to Markdown. */
export function htmlToMarkdown(html: string): string {
  return domToMarkdown(parseHtml(html).root);
}

const blocksLength = (blocks: MarkdownBlock[]) => blocks.reduce((n, b) => n + b.text.replace(/\s+/g, "").length, 0);

/** Main content of a full HTML page as Markdown blocks, with its title. */
export async function extractMainBlocks(html: string): Promise<{ title?: string; blocks: MarkdownBlock[] }> {
  const { root, title: pageTitle } = parseHtml(html);
  const h1 = findAll(root, (el) => el.name === "h1").map((el) => textOf(el).replace(/\s+/g, " ").trim()).find(Boolean);
  const total = textLength(root); // before the furniture is taken out
  let blocks = mainBlocks(root);
  if (blocksLength(blocks) < TOO_LITTLE && total > 3 * TOO_LITTLE) {
    const { readabilityContent } = await import("./html-readability");
    const content = readabilityContent(html);
    if (content) blocks = domToBlocks(parseHtml(content).root);
  }
  const title = h1 ?? pageTitle;
  return { title, blocks: withTitle(blocks, title) };
}

/** Main content of a full HTML page as Markdown, with its title. */
export async function extractMainContent(html: string): Promise<{ title?: string; markdown: string }> {
  const { title, blocks } = await extractMainBlocks(html);
  return { title, markdown: blocks.map((b) => b.text).join("\n\n").trim() };
}

function mainBlocks(root: HtmlElement): MarkdownBlock[] {
  const main = semanticMain(root);
  if (main) return domToBlocks(main);
  const body = findAll(root, (el) => el.name === "body")[0] ?? root;
  const blocks = domToBlocks(withoutFurniture(body, { links: true }));
  // A page that is mostly links (an index, a site map): its links are its content.
  return blocksLength(blocks) >= TOO_LITTLE ? blocks : domToBlocks(withoutFurniture(body, { links: false }));
}

/** Heading paths start at the title: restore the page's <h1> when the content lost or demoted it. */
function withTitle(blocks: MarkdownBlock[], title: string | undefined): MarkdownBlock[] {
  const first = blocks[0];
  if (!title || (first?.kind === "heading" && first.level === 1)) return blocks;
  const lead: MarkdownBlock = { kind: "heading", text: `# ${title}`, level: 1 };
  if (first?.kind === "heading" && plainInline(first.text.replace(/^#+\s+/, "")) === title) return [lead, ...blocks.slice(1)];
  return [lead, ...blocks];
}

/** The document from its Markdown blocks: text joined by blank lines, offsets exact. */
export function blocksDocument(type: ParsedDocument["type"], from: MarkdownBlock[], title?: string): ParsedDocument {
  let text = "";
  const blocks: Block[] = [];
  for (const b of from) {
    const body = normalizeText(b.text);
    if (!body) continue;
    if (text) text += "\n\n";
    const block: Block = { kind: b.kind, text: body, start: text.length, end: text.length + body.length };
    if (b.kind === "heading") {
      block.text = plainInline(body.replace(/^#+\s+/, ""));
      block.level = b.level ?? 1;
    }
    text += body;
    blocks.push(block);
  }
  const doc: ParsedDocument = { type, pages: 1, text, blocks };
  const t = title?.trim() || firstHeading(blocks);
  if (t) doc.title = t;
  return doc;
}

export const htmlParser: Parser = {
  async parse({ bytes }, { signal, onPage }): Promise<ParsedDocument> {
    signal?.throwIfAborted();
    const { title, blocks } = await extractMainBlocks(decodeText(bytes));
    const doc = blocksDocument("html", blocks, title);
    if (!doc.text.trim()) throw new IngestError("no_text", "the HTML page has no readable text content");
    onPage?.(1, 1);
    return doc;
  },
};
