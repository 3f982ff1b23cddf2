/**
 * One page of an uploaded PDF as an image, with a cited passage shaded: the
 * page is drawn by pdf.js onto a canvas (as OCR draws scans), and the text
 * items from the passage's first words to its last are painted over in a
 * translucent yellow. A passage that runs across pages is shaded from its
 * start to the end of the first page and from the top of the last page to its end.
 */
import path from "node:path";
import { contentWords } from "@/lib/retrieval/words";
import { loadPdfJs, PDF_OPEN_OPTIONS } from "../parse/pdf";

/**
 * The 14 standard PDF fonts (Helvetica, Times…) that PDFs may use without embedding them: pdf.js
 * draws their glyphs from these files; without them such text does not appear at all.
 */
// Found from the project folder, as the app finds its models: a bundled require.resolve gives a module id, not a path.
const standardFonts = () => `${path.resolve(/*turbopackIgnore: true*/ "node_modules/pdfjs-dist/standard_fonts")}/`;

/** Drawn at 1.5× (108 dpi): sharp on a screen, a few hundred KB a page. */
const SCALE = 1.5;
/** Words that must follow each other on the page for the passage's start or end to be found there. */
const RUN = 5;

export interface PdfPageImage {
  png: Buffer;
  pages: number;
  /** Whether any of the passage was found and shaded on this page. */
  marked: boolean;
}

/** A page's size in pixels as drawn, and where the shaded passage lies on it, as fractions of its height. */
export interface PdfPageLayout {
  width: number;
  height: number;
  passage?: { top: number; bottom: number };
}

interface Item {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

type PdfJs = Awaited<ReturnType<typeof loadPdfJs>>;
type Page = Awaited<ReturnType<Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>["getPage"]>>;
type Viewport = ReturnType<Page["getViewport"]>;
type Rect = [x: number, y: number, width: number, height: number];

/** `passage`: the cited text, shaded where it is found on `page` (1-based). */
export async function renderPdfPage(bytes: Uint8Array, page: number, passage?: string): Promise<PdfPageImage> {
  return withPage(bytes, page, async (pdfjs, p, pages) => {
    const viewport = p.getViewport({ scale: SCALE });
    const { createCanvas } = await import("@napi-rs/canvas");
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    await p.render({ canvasContext: context as never, viewport }).promise;
    const rects = await passageRects(pdfjs, p, viewport, passage);
    context.fillStyle = "rgba(250, 204, 21, 0.38)";
    for (const rect of rects) context.fillRect(...rect);
    return { png: await canvas.encode("png"), pages, marked: rects.length > 0 };
  });
}

/** The size `renderPdfPage` draws `page` at and where it shades `passage`, without drawing it: the viewer scrolls there. */
export async function pdfPageLayout(bytes: Uint8Array, page: number, passage?: string): Promise<PdfPageLayout> {
  return withPage(bytes, page, async (pdfjs, p) => {
    const viewport = p.getViewport({ scale: SCALE });
    const { width, height } = viewport;
    const rects = await passageRects(pdfjs, p, viewport, passage);
    const layout = { width: Math.ceil(width), height: Math.ceil(height) };
    if (rects.length === 0) return layout;
    const top = Math.max(0, Math.min(...rects.map((r) => r[1])));
    const bottom = Math.min(height, Math.max(...rects.map((r) => r[1] + r[3])));
    return { ...layout, passage: { top: top / height, bottom: bottom / height } };
  });
}

async function withPage<T>(bytes: Uint8Array, page: number, work: (pdfjs: PdfJs, p: Page, pages: number) => Promise<T>): Promise<T> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({ data: bytes.slice(), ...PDF_OPEN_OPTIONS, standardFontDataUrl: standardFonts() }).promise;
  try {
    const p = await doc.getPage(Math.min(Math.max(1, page), doc.numPages));
    try {
      return await work(pdfjs, p, doc.numPages);
    } finally {
      p.cleanup();
    }
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/** The rectangles, in pixels of the page drawn at SCALE, that shade the passage's text on the page. */
async function passageRects(pdfjs: PdfJs, p: Page, viewport: Viewport, passage: string | undefined): Promise<Rect[]> {
  if (!passage) return [];
  const items = (await p.getTextContent()).items.flatMap((i) => ("str" in i ? [i as Item] : []));
  return passageItems(items, passage).map((item) => {
    const [, , c, d, e, f] = pdfjs.Util.transform(viewport.transform, item.transform) as number[];
    const height = Math.hypot(c!, d!) || item.height * SCALE;
    return [e! - 1, f! - height * 0.95, item.width * SCALE + 2, height * 1.25];
  });
}

/** The page's text items that carry the passage: from where its first words appear to where its last ones do. */
export function passageItems<T extends { str: string }>(items: readonly T[], passage: string): T[] {
  const onPage = items.flatMap((item, index) => contentWords(item.str).map((w) => ({ w, index })));
  const wanted = contentWords(passage.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
  if (onPage.length === 0 || wanted.length === 0) return [];
  const run = Math.min(RUN, wanted.length);
  const at = (i: number, words: readonly string[]) => words.every((w, k) => onPage[i + k]?.w === w);
  // The passage may begin with words the page does not show where it starts (a heading path): try later starts too.
  let start = -1;
  for (let skip = 0; skip + run <= wanted.length && skip < 30 && start < 0; skip++) {
    const head = wanted.slice(skip, skip + run);
    start = onPage.findIndex((_, i) => at(i, head));
  }
  let end = -1;
  for (let skip = 0; skip + run <= wanted.length && skip < 30 && end < 0; skip++) {
    const tail = wanted.slice(wanted.length - skip - run, wanted.length - skip);
    for (let i = onPage.length - run; i >= 0 && end < 0; i--) if (at(i, tail)) end = i + run - 1;
  }
  if (start < 0 && end < 0) return [];
  const from = onPage[start < 0 ? 0 : start]!.index;
  const to = onPage[end < 0 || end < start ? onPage.length - 1 : end]!.index;
  return items.slice(from, to + 1).filter((i) => i.str.trim());
}
