/**
 * Type detection from the bytes first; the extension only chooses between
 * text flavours (Markdown, CSV, plain) once the bytes are known to be text.
 */
import { isUtf8 } from "node:buffer";
import { looksLikeZip, readZipDirectory } from "@/ingest/safety/zip";
import type { DetectedType, Detection } from "./types";

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Binary formats we know by name but do not parse, so the error can name them. */
const BINARY_SIGNATURES: { sig: number[]; at?: number; mime: string }[] = [
  { sig: [0x89, 0x50, 0x4e, 0x47], mime: "image/png" },
  { sig: [0xff, 0xd8, 0xff], mime: "image/jpeg" },
  { sig: ascii("GIF8"), mime: "image/gif" },
  { sig: ascii("WEBP"), at: 8, mime: "image/webp" },
  { sig: [0x49, 0x49, 0x2a, 0x00], mime: "image/tiff" },
  { sig: [0x4d, 0x4d, 0x00, 0x2a], mime: "image/tiff" },
  { sig: [0x1f, 0x8b], mime: "application/gzip" },
  { sig: ascii("Rar!"), mime: "application/vnd.rar" },
  { sig: [0x37, 0x7a, 0xbc, 0xaf], mime: "application/x-7z-compressed" },
  { sig: [0xd0, 0xcf, 0x11, 0xe0], mime: "application/msword (legacy Office format; save as .docx)" },
  { sig: ascii("{\\rtf"), mime: "application/rtf" },
  { sig: [0x7f, 0x45, 0x4c, 0x46], mime: "application/x-executable" },
  { sig: ascii("MZ"), mime: "application/x-msdownload" },
  { sig: ascii("%!PS"), mime: "application/postscript" },
  { sig: ascii("ID3"), mime: "audio/mpeg" },
  { sig: ascii("ftyp"), at: 4, mime: "video/mp4" },
];

const MIME: Record<Exclude<DetectedType, "unsupported">, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  zip: "application/zip",
  html: "text/html",
  markdown: "text/markdown",
  csv: "text/csv",
  text: "text/plain",
};

/** Decode text, honouring UTF-8/UTF-16 byte-order marks; invalid UTF-8 falls back to Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** Text means: a UTF-16 BOM, or no NUL bytes and (valid UTF-8 or almost no control bytes). */
function isText(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true;
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b >= 0x20) continue;
    if (b === 0) return false;
    if (b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  if (isUtf8(bytes)) return control === 0 || control / sample.length < 0.01;
  // Not UTF-8: accept legacy 8-bit text (e.g. Windows-1252 CSV exports) only if it has no control bytes.
  return control === 0;
}

const HTML_START = /^(?:\s|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|h[1-6]|section)[\s>/]/i;

const DOCUMENT_START = /^(?:\s|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body)[\s>/]/i;

function looksLikeHtml(text: string, fileName: string): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, "");
  // Markdown may open with inline HTML (<p align="center">); only a whole document counts there.
  if (/\.(md|markdown|mdx)$/i.test(fileName)) return DOCUMENT_START.test(head);
  if (HTML_START.test(head)) return true;
  // A .html file that is a fragment still counts if the bytes contain markup.
  return /\.x?html?$/i.test(fileName) && /<[a-z][a-z0-9]*[\s>]/i.test(head);
}

function detectZip(bytes: Uint8Array): Detection {
  let names: string[];
  try {
    names = readZipDirectory(bytes).map((e) => e.name);
  } catch {
    return { type: "zip", mime: MIME.zip }; // the zip parser/extractor reports the corruption
  }
  if (names.includes("word/document.xml")) return { type: "docx", mime: MIME.docx };
  if (names.some((n) => n.startsWith("xl/"))) return { type: "unsupported", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (xlsx)" };
  if (names.some((n) => n.startsWith("ppt/"))) return { type: "unsupported", mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation (pptx)" };
  if (names.includes("mimetype") && names.includes("content.xml")) return { type: "unsupported", mime: "application/vnd.oasis.opendocument (OpenDocument)" };
  if (names.includes("META-INF/container.xml")) return { type: "unsupported", mime: "application/epub+zip" };
  return { type: "zip", mime: MIME.zip };
}

/** Detect a file's type and MIME from its bytes (the name only picks md/csv/txt among text). */
export function detectFile(bytes: Uint8Array, fileName: string): Detection {
  if (startsWith(bytes, ascii("%PDF-"))) return { type: "pdf", mime: MIME.pdf };
  if (looksLikeZip(bytes)) return detectZip(bytes);
  for (const s of BINARY_SIGNATURES) if (startsWith(bytes, s.sig, s.at ?? 0)) return { type: "unsupported", mime: s.mime };
  if (!isText(bytes)) {
    // Readers accept %PDF- after up to 1 KiB of leading junk; only trust that in binary files.
    if (String.fromCharCode(...bytes.subarray(0, 1024)).includes("%PDF-")) return { type: "pdf", mime: MIME.pdf };
    return { type: "unsupported", mime: "application/octet-stream (binary data)" };
  }

  const text = decodeText(bytes.subarray(0, 8192));
  if (looksLikeHtml(text, fileName)) return { type: "html", mime: MIME.html };
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === "md" || ext === "markdown" || ext === "mdx") return { type: "markdown", mime: MIME.markdown };
  if (ext === "csv" || ext === "tsv") return { type: "csv", mime: MIME.csv };
  return { type: "text", mime: MIME.text };
}

/** The detected type alone; see detectFile for the MIME named in errors. */
export function detectType(bytes: Uint8Array, fileName: string): DetectedType {
  return detectFile(bytes, fileName).type;
}

/** What a file of a type Vouch does not read is, in words, and what to do instead. */
const UNSUPPORTED_WORDS: [RegExp, string, string?][] = [
  [/x-msdownload/, "a Windows program"],
  [/x-executable/, "a program"],
  [/^image\//, "an image", "put it in a PDF to have its text read"],
  [/msword/, "a Word file in the old .doc format", "save it as .docx"],
  [/spreadsheetml/, "an Excel workbook", "save the sheets as CSV"],
  [/presentationml/, "a PowerPoint deck", "save it as PDF"],
  [/opendocument/, "an OpenDocument file", "save it as .docx or PDF"],
  [/rtf/, "a rich-text (.rtf) file", "save it as .docx or PDF"],
  [/postscript/, "a PostScript file", "print it to PDF"],
  [/epub/, "an e-book (EPUB)"],
  [/gzip|rar|7z/, "a compressed archive", "upload its files, or a .zip"],
  [/^(audio|video)\//, "an audio or video file"],
];

/** Why an upload is refused, worded for the person who sent it. */
export function unsupportedReason(mime: string): string {
  const [, what = "binary data", fix] = UNSUPPORTED_WORDS.find(([re]) => re.test(mime)) ?? [];
  return `${what}, not a document Vouch can read${fix ? `: ${fix}` : " (it reads PDF, DOCX, HTML, Markdown, text and CSV)"}`;
}
