/**
 * Passages (the Markdown the ingest pipeline writes) as quotable sentences:
 * headings, navigation and boilerplate dropped, list items and table rows kept
 * as sentences of their own, links and emphasis reduced to their words.
 */

export interface PassageSentence {
  text: string;
  /** Position among the passage's sentences, to merge neighbours and keep reading order. */
  index: number;
  /** Paragraph, list or table it belongs to: neighbours merge only within one. */
  block: number;
  /** A list item or table row, shown as a bullet. */
  item: boolean;
}

const BOILERPLATE =
  /^(back to top|skip to|table of contents|contents|related (articles?|pages?|topics?)|see also|was this (article|page) helpful|share this|print this|previous|next|home\b.*[›>»/]|©|copyright\b|all rights reserved|last (updated|modified)\b|on this page)/i;
const LIST_MARK = /^\s*(?:[-*+•▪◦]|\d{1,3}[.)])\s+/;

/** Link and emphasis markup reduced to the words a reader sees. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<\/?[a-z][^>]*>/gi, "")
    .replace(/(\*\*|__|`)/g, "")
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|[.,;:!?]|$)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Text that carries no statement: too short, navigation, mostly links. */
function isBoilerplate(line: string, plain: string): boolean {
  if (wordCount(plain) < 4) return true;
  if (BOILERPLATE.test(plain)) return true;
  const linked = (line.match(/\[[^\]]+\]\([^)]*\)/g) ?? []).join("").length;
  return linked > line.length * 0.5;
}

function splitSentences(paragraph: string): string[] {
  // A full stop ends a sentence when a capital, digit or quote starts the next; "e.g. the" and "$9.95" do not split.
  return paragraph.split(/(?<=[.!?])\s+(?=["“(]?[A-Z0-9])/).map((s) => s.trim()).filter(Boolean);
}

/** A table row as one sentence: "Ground (Delivery time: 3 to 5 business days; Price: $9.95)". */
function tableRow(cells: string[], header: string[] | undefined): string {
  const [first, ...rest] = cells;
  if (!header || rest.length === 0) return cells.join("; ");
  const pairs = rest.map((c, i) => (header[i + 1] ? `${header[i + 1]}: ${c}` : c));
  return `${first} (${pairs.join("; ")})`;
}

const cellsOf = (line: string) => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => plainText(c)).filter(Boolean);

export function passageSentences(markdown: string): PassageSentence[] {
  const out: PassageSentence[] = [];
  let block = 0;
  let header: string[] | undefined;
  let paragraph: string[] = [];
  const push = (text: string, item: boolean) => out.push({ text, index: out.length, block, item });
  const flush = () => {
    const joined = paragraph.join(" ");
    paragraph = [];
    if (!joined) return;
    for (const s of splitSentences(plainText(joined))) if (!isBoilerplate(s, s)) push(s, false);
    block++;
  };
  for (const raw of markdown.split("\n")) {
    const line = raw.trim();
    if (line === "" || /^#{1,6}\s/.test(line)) {
      flush();
      header = undefined;
      continue;
    }
    // Markdown rows ("| a | b |"), and rows as PDF text gives them ("a | b").
    if (/^\|.*\|$/.test(line) || / \| /.test(line)) {
      flush();
      if (/^\|[\s:|-]+\|$/.test(line)) continue; // the header's separator row
      const cells = cellsOf(line);
      if (!header) header = cells;
      // Judged with its column names: "| Team | 13 months |" is short, but says "Team (Kept for: 13 months)".
      else {
        const row = tableRow(cells, header);
        if (!isBoilerplate(line, row)) push(row, true);
      }
      continue;
    }
    if (LIST_MARK.test(line)) {
      flush();
      const plain = plainText(line.replace(LIST_MARK, ""));
      if (!isBoilerplate(line, plain)) push(plain, true);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return out;
}
