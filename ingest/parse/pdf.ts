/**
 * PDF text per page via pdf.js (legacy build, in-process "fake" worker, no
 * font loading). Pages are fetched one at a time and released, so memory
 * stays bounded however many pages the file has.
 */
import { IngestError } from "./errors";
import { ocrParagraphs, renderPage, tesseractOcr, type Ocr, type RenderablePage } from "./ocr";
import { bodySize, layoutPage, type PdfTextItem } from "./pdf-layout";
import type { Block, ParsedDocument, Parser } from "./types";
import type * as PdfJsModule from "pdfjs-dist/legacy/build/pdf.mjs";

type PdfJs = typeof PdfJsModule;
let pdfjsPromise: Promise<PdfJs> | undefined;
// Loaded lazily: pdf.js is large and most uploads are not PDFs.
export const loadPdfJs = () => (pdfjsPromise ??= importPdfJs());

/**
 * pdf.js's legacy build bundles core-js, which replaces Array.prototype.push
 * and JSON.parse for the whole process (with slower spec-edge-case versions)
 * when its main module and again when its in-process worker module load.
 * Every push in the process then costs several times more: about a third of
 * the CPU of parsing a PDF, and more elsewhere (tokenizer, database driver).
 * So load both modules up front, and put the engine's own functions back.
 * pdf.js does not need the replacements (its output is the same); the
 * additions core-js makes (Promise.withResolvers...) stay.
 */
async function importPdfJs(): Promise<PdfJs> {
  const { push } = Array.prototype;
  const { parse } = JSON;
  try {
    const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
    // pdf.js looks here for its "fake worker" before importing the module itself.
    const worker: unknown = await import("pdfjs-dist/legacy/build/pdf.worker.mjs" as string);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return pdfjs;
  } finally {
    Array.prototype.push = push;
    JSON.parse = parse;
  }
}

/**
 * How every PDF is opened, for reading its text or drawing a page: no code evaluated from the file,
 * no fonts or files fetched from the system or elsewhere, no console noise.
 */
export const PDF_OPEN_OPTIONS = { disableFontFace: true, useSystemFonts: false, useWorkerFetch: false, isEvalSupported: false, verbosity: 0 } as const;

/** How often the document-wide caches are flushed while walking pages. */
const CLEANUP_EVERY = 100;

function openError(err: unknown, fileName: string): IngestError {
  const name = (err as { name?: string }).name;
  if (name === "PasswordException") {
    return new IngestError("encrypted_pdf", `"${fileName}" is an encrypted (password-protected) PDF; remove the password and upload it again`, { cause: err });
  }
  return new IngestError("corrupt_file", `"${fileName}" is a corrupt or unreadable PDF (${(err as Error).message ?? "unknown error"}); re-export it and upload it again`, { cause: err });
}

/** Pages of a scanned PDF that OCR read, and those it could not (no OCR installed). */
interface ScanCount {
  recognised: number;
  skipped: number;
}

/** A PDF parser; pages without a text layer go through `ocr` (default: tesseract on the PATH). */
export function createPdfParser({ ocr = tesseractOcr() }: { ocr?: Ocr } = {}): Parser {
  return { parse: (input, options) => parsePdf(input, options, ocr) };
}

export const pdfParser: Parser = createPdfParser();

async function parsePdf({ bytes, fileName }: Parameters<Parser["parse"]>[0], { signal, onPage }: Parameters<Parser["parse"]>[1], ocr: Ocr): Promise<ParsedDocument> {
  signal?.throwIfAborted();
  const pdfjs = await loadPdfJs();
  // pdf.js takes ownership of (detaches) the buffer it is given, so hand it a copy.
  const task = pdfjs.getDocument({ data: bytes.slice(), ...PDF_OPEN_OPTIONS, disableAutoFetch: true });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw openError(err, fileName);
  }
  try {
    const total = pdf.numPages;
    let title: string | undefined;
    try {
      const info = (await pdf.getMetadata()).info as { Title?: unknown };
      if (typeof info.Title === "string" && info.Title.trim()) title = info.Title.trim();
    } catch {
      // Broken metadata is not worth failing the document for.
    }
    let text = "";
    const blocks: Block[] = [];
    let body: number | undefined;
    const scans: ScanCount = { recognised: 0, skipped: 0 };
    const push = (block: Omit<Block, "start" | "end">, rendered: string) => {
      if (text) text += "\n\n";
      blocks.push({ ...block, start: text.length, end: text.length + rendered.length });
      text += rendered;
    };
    for (let n = 1; n <= total; n++) {
      signal?.throwIfAborted();
      let items: PdfTextItem[];
      let scanned: string[] | undefined;
      try {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent({ includeMarkedContent: false });
        items = content.items.flatMap((i) => ("str" in i ? [i] : []));
        // A page without text that paints an image is a scan; a blank or drawn page has nothing to read.
        if (!items.some((i) => i.str.trim()) && (await paintsImage(page, pdfjs.OPS))) scanned = await readScan(page as unknown as RenderablePage, ocr, scans, signal);
        page.cleanup();
      } catch (err) {
        if (signal?.aborted || err instanceof IngestError) throw err;
        throw new IngestError("corrupt_file", `"${fileName}" is corrupt at page ${n} of ${total} (${(err as Error).message}); re-export it and upload it again`, { cause: err });
      }
      for (const p of scanned ?? []) push({ kind: "paragraph", text: p, page: n, ocr: true }, p);
      body = bodySize(items, body);
      if (body) {
        for (const b of layoutPage(items, body)) {
          const rendered = b.kind === "heading" ? `${"#".repeat(b.level ?? 1)} ${b.text}` : b.text;
          push(b.level !== undefined ? { kind: b.kind, text: b.text, page: n, level: b.level } : { kind: b.kind, text: rendered, page: n }, rendered);
        }
      }
      onPage?.(n, total);
      if (n % CLEANUP_EVERY === 0) await pdf.cleanup();
    }
    if (!text.trim()) throw noText(fileName, total, scans);
    title ??= blocks.find((b) => b.kind === "heading")?.text;
    const doc: ParsedDocument = { type: "pdf", pages: total, text, blocks };
    if (title) doc.title = title;
    return doc;
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/** Whether the page paints a raster image (a scan does; a blank page or a drawing does not). */
async function paintsImage(page: { getOperatorList(): Promise<{ fnArray: number[] }> }, ops: PdfJs["OPS"]): Promise<boolean> {
  const images = new Set<number>([ops.paintImageXObject, ops.paintInlineImageXObject, ops.paintImageMaskXObject, ops.paintImageXObjectRepeat, ops.paintInlineImageXObjectGroup]);
  return (await page.getOperatorList()).fnArray.some((fn) => images.has(fn));
}

/** A page's text read by OCR, as paragraphs; nothing (counted as skipped) where no OCR can run. */
async function readScan(page: RenderablePage, ocr: Ocr, scans: ScanCount, signal?: AbortSignal): Promise<string[]> {
  if (!(await ocr.available())) {
    scans.skipped++;
    return [];
  }
  scans.recognised++;
  return ocrParagraphs(await ocr.recognise(await renderPage(page), signal));
}

function noText(fileName: string, pages: number, scans: ScanCount): IngestError {
  if (scans.skipped > 0) {
    return new IngestError("no_text_layer", `"${fileName}" is a scanned PDF (${scans.skipped} of ${pages} pages are images without text): install tesseract-ocr and tesseract-ocr-eng to index it`);
  }
  if (scans.recognised > 0) return new IngestError("no_text", `"${fileName}" is a scanned PDF in which OCR found no text`);
  return new IngestError("no_text_layer", `"${fileName}" has no text layer and no page images`);
}
