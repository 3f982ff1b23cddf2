/** The table from detected type to parser, and the one entry point that uses it. */
import { csvParser } from "./csv";
import { detectFile } from "./detect";
import { docxParser } from "./docx";
import { IngestError } from "./errors";
import { htmlParser } from "./html";
import { pdfParser } from "./pdf";
import { markdownParser, textParser } from "./text";
import type { DetectedType, ParsedDocument, ParseInput, ParseOptions, Parser } from "./types";

const zipParser: Parser = {
  async parse({ fileName }) {
    if (/\.docx$/i.test(fileName)) {
      throw new IngestError("corrupt_file", `"${fileName}" is not a valid Word document (word/document.xml is missing); re-save it as .docx and upload it again`);
    }
    throw new IngestError("unsupported_type", `unsupported type: application/zip ("${fileName}" is an archive nested in an upload; extract it and upload its files)`);
  },
};

const unsupportedParser: Parser = {
  async parse({ bytes, fileName }) {
    throw new IngestError("unsupported_type", `unsupported type: ${detectFile(bytes, fileName).mime}`);
  },
};

/** Detected type → parser. Upload code expands .zip archives (ingest/safety) before parsing. */
export const parsers: Record<DetectedType, Parser> = {
  pdf: pdfParser,
  docx: docxParser,
  html: htmlParser,
  markdown: markdownParser,
  csv: csvParser,
  text: textParser,
  zip: zipParser,
  unsupported: unsupportedParser,
};

/** Detect the type from the bytes and parse with the matching parser; rejects empty files. */
export async function parseDocument(input: ParseInput, opts: ParseOptions = {}, table: Record<DetectedType, Parser> = parsers): Promise<ParsedDocument> {
  if (input.bytes.length === 0) throw new IngestError("empty_file", "empty file");
  const { type } = detectFile(input.bytes, input.fileName);
  return table[type].parse(input, opts);
}
