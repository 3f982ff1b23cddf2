/**
 * Turns one PDF page's positioned text items into Markdown-ish blocks:
 * lines by baseline, paragraphs by vertical gaps, headings by font size,
 * list items by their bullet.
 */
import type { BlockKind } from "./types";

/** The fields of a pdf.js TextItem we use. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width?: number;
  height?: number;
  hasEOL?: boolean;
}

/** Separator put between text runs that sit far apart on one line (table columns). */
export const CELL_GAP = " | ";

export interface PageBlock {
  kind: BlockKind;
  /** Heading title or paragraph/list text (list items on separate lines). */
  text: string;
  level?: number;
}

interface Line {
  text: string;
  size: number;
  y: number;
}

const BULLET = /^(?:[•▪◦●\-*–]|\d{1,3}[.)])\s+/;

function toLines(items: PdfTextItem[]): Line[] {
  const lines: Line[] = [];
  let cur: Line | undefined;
  let breakNext = false;
  let lastEnd = 0;
  for (const it of items) {
    const t = it.transform;
    const size = Math.abs(t[3] ?? 0) || Math.abs(t[0] ?? 0) || it.height || 0;
    const y = t[5] ?? 0;
    if (it.str === "") {
      if (it.hasEOL) breakNext = true;
      continue;
    }
    const x = t[4] ?? 0;
    if (!cur || breakNext || Math.abs(y - cur.y) > Math.max(1, cur.size * 0.5)) {
      cur = { text: it.str, size, y };
      lines.push(cur);
    } else {
      // A wide horizontal gap means a new column; a small one is a missing space.
      const gap = x - lastEnd;
      const afterBullet = /^(?:[•▪◦●\-*–]|\d{1,3}[.)])\s*$/.test(cur.text);
      if (afterBullet) {
        // A hanging indent after a bullet is not a column gap.
        if (!/\s$/.test(cur.text) && it.str.trim() !== "") cur.text += " ";
        if (it.str.trim() !== "") cur.text += it.str;
      } else if (it.str.trim() === "" && (it.width ?? 0) > size * 0.8) {
        // pdf.js stands in for a wide jump with one wide space item: that is a column gap too.
        if (!cur.text.endsWith(CELL_GAP)) cur.text += CELL_GAP;
      } else {
        const sep = gap > size * 0.8 ? CELL_GAP : gap > size * 0.15 && !/\s$/.test(cur.text) && !/^\s/.test(it.str) ? " " : "";
        cur.text += (cur.text.endsWith(CELL_GAP) ? "" : sep) + it.str;
      }
      cur.size = Math.max(cur.size, size);
    }
    lastEnd = x + (it.width ?? 0);
    breakNext = Boolean(it.hasEOL);
  }
  const tidy = (t: string) => t.replace(/[^\S\n]+/g, " ").trim().replace(/^\|\s*|\s*\|$/g, "");
  return lines.map((l) => ({ ...l, text: tidy(l.text) })).filter((l) => l.text !== "");
}

/** The most common font size, weighted by characters; `fallback` when the page has little text. */
export function bodySize(items: PdfTextItem[], fallback?: number): number | undefined {
  const weight = new Map<number, number>();
  let chars = 0;
  for (const it of items) {
    const size = Math.round((Math.abs(it.transform[3] ?? 0) || it.height || 0) * 2) / 2;
    if (!it.str.trim() || size === 0) continue;
    weight.set(size, (weight.get(size) ?? 0) + it.str.length);
    chars += it.str.length;
  }
  if (chars < 200 && fallback) return fallback;
  let best: number | undefined;
  for (const [size, w] of weight) if (best === undefined || w > (weight.get(best) ?? 0)) best = size;
  return best ?? fallback;
}

function headingLevel(size: number, body: number): number | undefined {
  const r = size / body;
  if (r >= 1.6) return 1;
  if (r >= 1.3) return 2;
  if (r >= 1.12) return 3;
  return undefined;
}

function joinLine(a: string, b: string): string {
  // Re-join words hyphenated across lines ("sub-" + "scription"), but keep "30-" + "day".
  if (/[a-z]-$/i.test(a) && /^[a-z]/.test(b)) return a.slice(0, -1) + b;
  return `${a} ${b}`;
}

/** Group one page's text items into blocks. */
export function layoutPage(items: PdfTextItem[], body: number): PageBlock[] {
  const blocks: PageBlock[] = [];
  let prev: Line | undefined;
  let cur: PageBlock | undefined;
  for (const line of toLines(items)) {
    const level = headingLevel(line.size, body);
    const gap = prev ? prev.y - line.y : 0;
    // A new block when the gap is wider than ~1.6 lines, or the column/page jumped upwards.
    const newPara = !prev || gap > Math.max(line.size, prev.size) * 1.6 || gap < 0;
    if (level !== undefined) {
      if (cur?.kind === "heading" && cur.level === level && !newPara) cur.text += ` ${line.text}`;
      else blocks.push((cur = { kind: "heading", level, text: line.text }));
    } else if (line.text.includes(CELL_GAP) || (cur?.kind === "table" && !newPara)) {
      // Table rows sit a little further apart than wrapped lines; keep them in one block.
      if (cur?.kind === "table" && gap >= 0 && gap < line.size * 2.5) cur.text += `\n${line.text}`;
      else blocks.push((cur = { kind: "table", text: line.text }));
    } else if (BULLET.test(line.text)) {
      if (cur?.kind === "list" && !newPara) cur.text += `\n${line.text}`;
      else blocks.push((cur = { kind: "list", text: line.text }));
    } else if (cur && cur.kind !== "heading" && !newPara) {
      const lines = cur.text.split("\n");
      lines[lines.length - 1] = joinLine(lines[lines.length - 1] ?? "", line.text);
      cur.text = lines.join("\n");
    } else {
      blocks.push((cur = { kind: "paragraph", text: line.text }));
    }
    prev = line;
  }
  return blocks;
}
