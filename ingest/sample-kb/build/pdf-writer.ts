/** Renders a handbook document as a text PDF with pdf-lib (fixed dates, so output is byte-stable). */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import type { HandbookDoc, Run } from "./model";

const PAGE: [number, number] = [612, 792]; // US Letter
const MARGIN = 72;
const BODY = 10.5;
const TABLE_SIZE = 9;
const CELL_PAD = 16;
const LEADING = 14;
const HEADING_SIZE: Record<number, number> = { 1: 20, 2: 15, 3: 12.5 };
export const FIXED_DATE = new Date("2025-09-01T00:00:00Z");

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

class Writer {
  page!: PDFPage;
  y = 0;
  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  /** Make room for `height` points, starting a new page when needed. */
  ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  /** Greedy word wrap of styled runs into lines that fit `width`. */
  wrap(runs: Run[], size: number, width: number): Run[][] {
    const words = runs.flatMap((r) => r.text.split(/(\s+)/).filter((w) => w !== "").map((w) => ({ text: /^\s+$/.test(w) ? " " : w, bold: r.bold })));
    const lines: Run[][] = [];
    let line: Run[] = [];
    let w = 0;
    for (const word of words) {
      const font = word.bold ? this.fonts.bold : this.fonts.regular;
      const ww = font.widthOfTextAtSize(word.text, size);
      if (word.text === " " && line.length === 0) continue;
      if (w + ww > width && line.length > 0 && word.text !== " ") {
        lines.push(line);
        line = [];
        w = 0;
      }
      line.push(word);
      w += ww;
    }
    if (line.length > 0) lines.push(line);
    // Join words of equal weight so each line is drawn in as few pieces as possible.
    return lines.map((l) =>
      l.reduce<Run[]>((acc, r) => {
        const last = acc[acc.length - 1];
        if (last && Boolean(last.bold) === Boolean(r.bold)) last.text += r.text;
        else acc.push({ ...r });
        return acc;
      }, []),
    );
  }

  drawLine(line: Run[], x: number, size: number): void {
    let cx = x;
    for (const r of line) {
      const font = r.bold ? this.fonts.bold : this.fonts.regular;
      this.page.drawText(r.text, { x: cx, y: this.y, size, font });
      cx += font.widthOfTextAtSize(r.text, size);
    }
  }

  paragraph(runs: Run[], { x = MARGIN, size = BODY, after = 9, prefix }: { x?: number; size?: number; after?: number; prefix?: string } = {}): void {
    const indent = prefix ? 14 : 0;
    const lines = this.wrap(runs, size, PAGE[0] - MARGIN - x - indent);
    lines.forEach((line, i) => {
      this.ensure(LEADING);
      if (i === 0 && prefix) this.page.drawText(prefix, { x, y: this.y, size, font: this.fonts.regular });
      this.drawLine(line, x + indent, size);
      this.y -= LEADING;
    });
    this.y -= after;
  }
}

/** Render to PDF bytes. */
export async function renderPdf(doc: HandbookDoc): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(doc.title);
  pdf.setAuthor("Halyard Systems Support");
  pdf.setCreator("vouch sample-kb-build");
  pdf.setProducer("pdf-lib");
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  const w = new Writer(pdf, { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) });
  let first = true;
  for (const node of doc.nodes) {
    if (node.kind === "heading") {
      const size = HEADING_SIZE[node.level] ?? 12.5;
      // Keep a heading with at least three lines of what follows it.
      if (!first) w.y -= size * 0.8;
      w.ensure(size + LEADING * 3);
      w.paragraph([{ text: node.text, bold: true }], { size, after: size * 0.5 });
    } else if (node.kind === "paragraph") {
      w.paragraph(node.runs);
    } else if (node.kind === "list") {
      node.items.forEach((item, i) => w.paragraph(item, { x: MARGIN + 8, prefix: node.ordered ? `${i + 1}. ` : "• ", after: 0 }));
      w.y -= 9;
    } else {
      renderTable(w, node.header, node.rows);
    }
    first = false;
  }
  return pdf.save({ useObjectStreams: false });
}

function renderTable(w: Writer, header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const cols = header.length;
  const longest = Array.from({ length: cols }, (_, c) => Math.max(4, ...all.map((r) => (r[c] ?? "").length)));
  const total = longest.reduce((a, b) => a + b, 0);
  const width = PAGE[0] - 2 * MARGIN;
  const xs: number[] = [];
  let x = MARGIN;
  for (const l of longest) {
    xs.push(x);
    x += (l / total) * width;
  }
  all.forEach((row, r) => {
    const cells = row.map((cell, c) => w.wrap([{ text: cell, bold: r === 0 }], TABLE_SIZE, ((longest[c] ?? 4) / total) * width - CELL_PAD));
    const height = Math.max(...cells.map((l) => l.length)) * LEADING;
    w.ensure(height + 2);
    const top = w.y;
    cells.forEach((lines, c) => {
      w.y = top;
      for (const line of lines) {
        w.drawLine(line, xs[c] ?? MARGIN, TABLE_SIZE);
        w.y -= LEADING;
      }
    });
    w.y = top - height - 2;
  });
  w.y -= 9;
}
