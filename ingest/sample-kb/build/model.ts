/**
 * The sample handbook is written in Markdown; this turns a source file into
 * a small document model that the PDF, DOCX and HTML writers all render.
 */
import { Lexer, type Token, type Tokens } from "marked";

export interface Run {
  text: string;
  bold?: boolean;
}

export type DocNode =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; runs: Run[] }
  | { kind: "list"; ordered: boolean; items: Run[][] }
  | { kind: "table"; header: string[]; rows: string[][] };

export interface HandbookDoc {
  title: string;
  nodes: DocNode[];
}

function runs(tokens: Token[] | undefined, bold = false): Run[] {
  const out: Run[] = [];
  for (const t of tokens ?? []) {
    if (t.type === "strong") out.push(...runs((t as Tokens.Strong).tokens, true));
    else if ("tokens" in t && Array.isArray(t.tokens) && t.tokens.length > 0) out.push(...runs(t.tokens, bold));
    else if (t.type === "br") out.push({ text: " ", bold });
    else out.push({ text: unescape("text" in t ? String(t.text) : t.raw), bold });
  }
  // Merge neighbours with the same weight so writers draw fewer pieces.
  return out.reduce<Run[]>((acc, r) => {
    const last = acc[acc.length - 1];
    if (last && Boolean(last.bold) === Boolean(r.bold)) last.text += r.text;
    else acc.push({ ...r });
    return acc;
  }, []);
}

function unescape(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

export const plain = (rs: Run[]) => rs.map((r) => r.text).join("");

/** Parse one handbook source file. */
export function parseHandbook(markdown: string): HandbookDoc {
  const nodes: DocNode[] = [];
  for (const t of new Lexer({ gfm: true }).lex(markdown)) {
    if (t.type === "heading") nodes.push({ kind: "heading", level: t.depth, text: plain(runs(t.tokens)) });
    else if (t.type === "paragraph") nodes.push({ kind: "paragraph", runs: runs(t.tokens) });
    else if (t.type === "list") {
      const list = t as Tokens.List;
      nodes.push({ kind: "list", ordered: list.ordered, items: list.items.map((i) => runs(i.tokens.flatMap((x) => (x.type === "text" && "tokens" in x && x.tokens ? x.tokens : [x])))) });
    } else if (t.type === "table") {
      const table = t as Tokens.Table;
      nodes.push({ kind: "table", header: table.header.map((c) => plain(runs(c.tokens))), rows: table.rows.map((r) => r.map((c) => plain(runs(c.tokens)))) });
    }
  }
  const first = nodes[0];
  const title = first?.kind === "heading" ? first.text : "Untitled";
  return { title, nodes };
}
