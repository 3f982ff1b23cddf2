/** DOCX → HTML (mammoth keeps Heading 1–6 as h1–h6) → Markdown blocks. */
import { DEFAULT_ARCHIVE_LIMITS, verifyArchive, type ArchiveLimits } from "@/ingest/safety/zip";
import { IngestError, isIngestError } from "./errors";
import { blocksDocument } from "./html";
import { domToBlocks } from "./html-markdown";
import { parseHtml } from "./html-tree";
import type { ParsedDocument, Parser } from "./types";

/** Word's Title/Subtitle styles are headings too; mammoth's defaults only map "Heading N". */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** A DOCX parser; the archive is checked against `limits` before mammoth inflates it without caps. */
export function createDocxParser(limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Parser {
  return {
    async parse({ bytes, fileName }, { signal, onPage }): Promise<ParsedDocument> {
      signal?.throwIfAborted();
      verifyArchive(bytes, limits);
      let html: string;
      try {
        // Loaded on first use: a thread that never sees a DOCX never pays for mammoth.
        const { default: mammoth } = await import("mammoth");
        const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }, { styleMap: STYLE_MAP });
        html = result.value;
      } catch (err) {
        if (isIngestError(err)) throw err;
        throw new IngestError("corrupt_file", `"${fileName}" is not a readable Word document (${(err as Error).message}); re-save it as .docx and upload it again`, { cause: err });
      }
      signal?.throwIfAborted();
      const doc = blocksDocument("docx", domToBlocks(parseHtml(html).root));
      if (!doc.text.trim()) throw new IngestError("no_text", `"${fileName}" has no text`);
      onPage?.(1, 1);
      return doc;
    },
  };
}

export const docxParser: Parser = createDocxParser();
