/** Markdown and plain-text parsers. */
import { decodeText } from "./detect";
import { IngestError } from "./errors";
import { markdownDocument, normalizeText } from "./markdown";
import type { Block, ParsedDocument, Parser } from "./types";

const LIST_LINE = /^\s*(?:[-*+•]|\d+[.)])\s+/;

/** Plain text: blank lines separate paragraphs; form feeds (as pdftotext writes) separate pages. */
export function plainTextDocument(raw: string): ParsedDocument {
  const pagesRaw = raw.split("\f").map(normalizeText);
  let text = "";
  const blocks: Block[] = [];
  pagesRaw.forEach((pageText, i) => {
    if (!pageText) return;
    if (text) text += "\n\n";
    const base = text.length;
    text += pageText;
    const re = /[^\n]+(?:\n[^\n]+)*/g;
    for (let m = re.exec(pageText); m; m = re.exec(pageText)) {
      const lines = m[0].split("\n");
      const block: Block = {
        kind: lines.every((l) => LIST_LINE.test(l)) ? "list" : "paragraph",
        text: m[0],
        start: base + m.index,
        end: base + m.index + m[0].length,
      };
      if (pagesRaw.length > 1) block.page = i + 1;
      blocks.push(block);
    }
  });
  return { type: "text", pages: Math.max(1, pagesRaw.length), text, blocks };
}

function requireText(doc: ParsedDocument, fileName: string): ParsedDocument {
  if (!doc.text.trim()) throw new IngestError("no_text", `"${fileName}" contains only whitespace`);
  return doc;
}

export const markdownParser: Parser = {
  async parse({ bytes, fileName }, { signal, onPage }) {
    signal?.throwIfAborted();
    const doc = requireText(markdownDocument("markdown", decodeText(bytes)), fileName);
    onPage?.(1, 1);
    return doc;
  },
};

export const textParser: Parser = {
  async parse({ bytes, fileName }, { signal, onPage }) {
    signal?.throwIfAborted();
    const doc = requireText(plainTextDocument(decodeText(bytes)), fileName);
    onPage?.(doc.pages, doc.pages);
    return doc;
  },
};
