/** CSV: every data row becomes one record block, "column: value; column: value". */
import { decodeText } from "./detect";
import { IngestError } from "./errors";
import type { Block, ParsedDocument, Parser } from "./types";

/** RFC 4180 rows: quoted fields may hold the delimiter, doubled quotes and newlines. */
export function parseCsv(input: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = input.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

/** The delimiter used most in the first line, outside quotes (comma wins ties). */
export function sniffDelimiter(input: string, fileName: string): string {
  if (/\.tsv$/i.test(fileName)) return "\t";
  const first = (input.split(/\r?\n/, 1)[0] ?? "").replace(/"[^"]*"/g, "");
  const count = (d: string) => first.split(d).length - 1;
  return [",", ";", "\t", "|"].reduce((best, d) => (count(d) > count(best) ? d : best), ",");
}

const clean = (v: string) => v.replace(/\s+/g, " ").trim();

export const csvParser: Parser = {
  async parse({ bytes, fileName }, { signal, onPage }): Promise<ParsedDocument> {
    signal?.throwIfAborted();
    const raw = decodeText(bytes);
    const [header, ...rows] = parseCsv(raw, sniffDelimiter(raw, fileName));
    if (!header) throw new IngestError("no_text", `"${fileName}" has no rows`);
    const columns = header.map((h, i) => clean(h) || `column ${i + 1}`);
    const blocks: Block[] = [];
    let text = "";
    for (const row of rows.length > 0 ? rows : [header]) {
      const parts = rows.length > 0 ? row.map((v, i) => [columns[i] ?? `column ${i + 1}`, clean(v)]).filter(([, v]) => v !== "") : [["columns", columns.join(", ")]];
      if (parts.length === 0) continue;
      const record = parts.map(([k, v]) => `${k}: ${v}`).join("; ");
      if (text) text += "\n";
      blocks.push({ kind: "record", text: record, start: text.length, end: text.length + record.length });
      text += record;
    }
    onPage?.(1, 1);
    return { type: "csv", pages: 1, text, blocks };
  },
};
