/**
 * A fast text PDF for the benchmark: Markdown handbook → pages of Helvetica
 * with bold headings, wrapped by character count. The sample knowledge base's
 * writer measures every word's width, which costs more to generate a
 * 2,000-page corpus than ingesting it; the parser sees the same kind of page.
 */
import { PDFDocument, StandardFonts } from "pdf-lib";

const PAGE: [number, number] = [612, 792];
const MARGIN = 72;
const BODY = 10.5;
const LEADING = 14;
/** Helvetica averages about 0.5 em per character, so 86 characters fill a 468 pt line at 10.5 pt. */
const BODY_CHARS = 86;
const HEADING_SIZE: Record<number, number> = { 1: 20, 2: 15, 3: 12.5 };
const FIXED_DATE = new Date("2025-09-01T00:00:00Z");

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Render a Markdown handbook (headings, paragraphs, lists, pipe tables) as PDF bytes. */
export async function renderBenchPdf(title: string, markdown: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer("vouch bench-ingest");
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page = pdf.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const line = (text: string, size: number, heading: boolean) => {
    if (y - size < MARGIN) {
      page = pdf.addPage(PAGE);
      y = PAGE[1] - MARGIN;
    }
    page.drawText(text, { x: MARGIN, y, size, font: heading ? bold : regular });
    y -= Math.max(LEADING, size * 1.3);
  };
  for (const block of markdown.split(/\n{2,}/)) {
    const heading = /^(#{1,6}) (.*)$/.exec(block);
    if (heading) {
      const size = HEADING_SIZE[heading[1]!.length] ?? 12.5;
      // Keep a heading with at least three lines of what follows it.
      if (y - size - 3 * LEADING < MARGIN) y = 0;
      y -= size * 0.6;
      line(heading[2]!, size, true);
      continue;
    }
    // Lists and tables keep one line per row; prose is re-flowed.
    const rows = /^(\d+\. |- |\|)/.test(block) ? block.split("\n").filter((r) => !/^\|[-\s|]+\|$/.test(r)) : [block];
    for (const row of rows) for (const l of wrap(row.replace(/\|/g, "  ").trim(), BODY_CHARS)) line(l, BODY, false);
    y -= 9;
  }
  return pdf.save({ useObjectStreams: false });
}
