/**
 * Text for PDF pages that have none (scans), recognised by Debian's tesseract-ocr: the page
 * is rendered by pdf.js onto a canvas (@napi-rs/canvas, which pdf.js itself uses in Node) at
 * 300 dpi and piped to `tesseract stdin stdout`. Nothing is downloaded: without tesseract on
 * the PATH, available() says so and scanned pages are reported instead of indexed.
 */
import { spawn } from "node:child_process";

/** The page drawn at this resolution: what tesseract reads best (it expects about 300 dpi). */
const DPI = 300;

/** A pdf.js page: only what rendering needs. */
export interface RenderablePage {
  getViewport(options: { scale: number }): { width: number; height: number };
  render(options: { canvasContext: unknown; viewport: unknown }): { promise: Promise<unknown> };
}

/** Recognises text in page images. */
export interface Ocr {
  /** Whether it can run here (asked once). */
  available(): Promise<boolean>;
  /** The text in a PNG image; rejects when recognition fails or `signal` aborts. */
  recognise(png: Uint8Array, signal?: AbortSignal): Promise<string>;
}

/** tesseract as `command` with `languages` (tesseract-ocr-eng is the one `.ci/run` and the README install). */
export function tesseractOcr(command = "tesseract", languages = "eng"): Ocr {
  let available: Promise<boolean> | undefined;
  return {
    available: () =>
      (available ??= new Promise((resolve) => {
        const child = spawn(command, ["--version"], { stdio: "ignore" });
        child.once("error", () => resolve(false));
        child.once("exit", (code) => resolve(code === 0));
      })),
    recognise: (png, signal) => runTesseract(command, languages, png, signal),
  };
}

/** The page as a PNG image at 300 dpi. */
export async function renderPage(page: RenderablePage): Promise<Buffer> {
  // A native module, loaded only when a scan is met.
  const { createCanvas } = await import("@napi-rs/canvas");
  const viewport = page.getViewport({ scale: DPI / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext("2d");
  // Scans are images on white; a transparent background would read as black.
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context, viewport }).promise;
  return canvas.encode("png");
}

function runTesseract(command: string, languages: string, png: Uint8Array, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ["stdin", "stdout", "-l", languages], { stdio: ["pipe", "pipe", "pipe"], signal });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(Buffer.concat(out).toString("utf8")) : reject(new Error(`tesseract exited with code ${code}: ${err.trim().slice(0, 300)}`))));
    child.stdin.on("error", () => {}); // a failing tesseract closes its input early; "exit" says why
    child.stdin.end(png);
  });
}

/** OCR text as paragraphs: tesseract separates blocks with blank lines and wraps lines as the scan did. */
export function ocrParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/-\n(?=\p{Ll})/gu, "").replace(/\s*\n\s*/g, " ").replace(/[ \t\f\v]+/g, " ").trim())
    .filter((p) => /[\p{L}\p{N}]/u.test(p));
}
