/** DOCX → Markdown blocks, read from the document's own XML (docx-xml.ts). */
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from "@/ingest/safety/zip";
import { docxBlocks, readDocxParts } from "./docx-xml";
import { IngestError } from "./errors";
import { blocksDocument } from "./html";
import type { ParsedDocument, Parser } from "./types";

/** A DOCX parser; the archive is checked against `limits`, and only the parts it reads are inflated. */
export function createDocxParser(limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Parser {
  return {
    async parse({ bytes, fileName }, { signal, onPage }): Promise<ParsedDocument> {
      signal?.throwIfAborted();
      const parts = readDocxParts(bytes, fileName, limits);
      if (parts.document?.name !== "w:document") {
        throw new IngestError("corrupt_file", `"${fileName}" is not a readable Word document (word/document.xml holds no document); re-save it as .docx and upload it again`);
      }
      const doc = blocksDocument("docx", docxBlocks(parts));
      if (!doc.text.trim()) throw new IngestError("no_text", `"${fileName}" has no text`);
      onPage?.(1, 1);
      return doc;
    },
  };
}

export const docxParser: Parser = createDocxParser();
