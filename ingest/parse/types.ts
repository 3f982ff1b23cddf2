/** Types we recognise from the bytes; "zip" and "unsupported" have parsers that only explain the failure. */
export type DetectedType = "pdf" | "docx" | "html" | "markdown" | "csv" | "text" | "zip" | "unsupported";

/** A detected type plus the MIME type we name in messages. */
export interface Detection {
  type: DetectedType;
  mime: string;
}

export type BlockKind = "heading" | "paragraph" | "list" | "table" | "code" | "record";

/** A structural unit of the extracted text; [start, end) indexes ParsedDocument.text. */
export interface Block {
  kind: BlockKind;
  /** Clean text: for headings the title without "#" markers; otherwise text.slice(start, end). */
  text: string;
  /** Heading level, 1 = top. */
  level?: number;
  /** 1-based page number (PDF only). */
  page?: number;
  /** Recognised from a page image by OCR (a scanned page), not read from a text layer. */
  ocr?: boolean;
  start: number;
  end: number;
}

export interface ParsedDocument {
  type: DetectedType;
  title?: string;
  /** Page count: real pages for PDF, 1 for everything else. */
  pages: number;
  /** The extracted text, Markdown-ish (headings as "#" lines). */
  text: string;
  blocks: Block[];
}

export interface ParseInput {
  bytes: Uint8Array;
  fileName: string;
}

export interface ParseOptions {
  signal?: AbortSignal;
  /** Progress: PDF calls it after each page; other types once with (1, 1). */
  onPage?(n: number, total: number): void;
}

export interface Parser {
  parse(input: ParseInput, opts: ParseOptions): Promise<ParsedDocument>;
}
