/**
 * Markdown is our common intermediate: HTML and DOCX are converted to it, so
 * one function turns Markdown into blocks with exact offsets.
 */
import { Lexer, type Token } from "marked";
import type { Block, DetectedType, ParsedDocument } from "./types";

/** Normalise line endings, trailing spaces and runs of blank lines. */
export function normalizeText(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Inline Markdown markers removed from heading titles ("**Refunds**" → "Refunds"). */
export function plainInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_|`|~~)(.+?)\1/g, "$2")
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1")
    .trim();
}

function kindOf(token: Token): Block["kind"] | undefined {
  switch (token.type) {
    case "heading":
      return "heading";
    case "list":
      return "list";
    case "table":
      return "table";
    case "code":
      return "code";
    case "paragraph":
    case "text":
    case "blockquote":
    case "html":
      return "paragraph";
    default:
      return undefined; // space, hr, def: no content of their own
  }
}

/** Split Markdown text into blocks; offsets index `text` exactly. */
export function markdownBlocks(text: string, page?: number, offset = 0): Block[] {
  const blocks: Block[] = [];
  let cursor = 0;
  for (const token of new Lexer({ gfm: true }).lex(text)) {
    const raw = token.raw;
    const at = text.indexOf(raw, cursor);
    if (at < 0) continue; // the lexer rewrote this token's source; skip rather than guess offsets
    cursor = at + raw.length;
    const kind = kindOf(token);
    if (!kind) continue;
    const lead = raw.length - raw.trimStart().length;
    const start = at + lead;
    const end = at + raw.trimEnd().length;
    if (end <= start) continue;
    const block: Block = { kind, text: text.slice(start, end), start: start + offset, end: end + offset };
    if (token.type === "heading") {
      block.text = plainInline(token.text);
      block.level = token.depth;
    }
    if (page !== undefined) block.page = page;
    blocks.push(block);
  }
  return fillGaps(text, blocks, page, offset);
}

/** Text no block covers (e.g. a token the lexer rewrote) becomes a paragraph, so chunks never lose content. */
function fillGaps(text: string, blocks: Block[], page: number | undefined, offset: number): Block[] {
  const out: Block[] = [];
  let cursor = 0;
  const gap = (from: number, to: number) => {
    const raw = text.slice(from, to);
    for (const m of raw.matchAll(/[^\n]+(?:\n[^\n]+)*/g)) {
      const body = m[0].trim();
      // Thematic breaks ("---") are layout, not content.
      if (body === "" || /^[-*_\s]+$/.test(body)) continue;
      const start = offset + from + (m.index ?? 0) + (m[0].length - m[0].trimStart().length);
      const block: Block = { kind: "paragraph", text: body, start, end: start + body.length };
      if (page !== undefined) block.page = page;
      out.push(block);
    }
  };
  for (const b of blocks) {
    gap(cursor, b.start - offset);
    out.push(b);
    cursor = b.end - offset;
  }
  gap(cursor, text.length);
  return out;
}

/** First top-level heading's text, used as the title when the format has none. */
export function firstHeading(blocks: Block[]): string | undefined {
  const top = Math.min(...blocks.filter((b) => b.kind === "heading").map((b) => b.level ?? 1));
  return blocks.find((b) => b.kind === "heading" && (b.level ?? 1) === top)?.text || undefined;
}

/** A one-page document from Markdown text. */
export function markdownDocument(type: DetectedType, markdown: string, title?: string): ParsedDocument {
  const text = normalizeText(markdown);
  const blocks = markdownBlocks(text);
  const doc: ParsedDocument = { type, pages: 1, text, blocks };
  const t = title?.trim() || firstHeading(blocks);
  if (t) doc.title = t;
  return doc;
}
