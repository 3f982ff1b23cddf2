/**
 * An HTML tree (html-tree.ts) as Markdown blocks: headings, paragraphs, lists, pipe
 * tables, fenced code, quotes, emphasis and links, in one walk. Each block keeps its
 * kind, so the document's blocks come straight from here rather than from lexing the
 * Markdown again. It replaces jsdom and turndown, which cost about 60 ms a page.
 */
import type { BlockKind } from "./types";
import { isElement, type HtmlElement, type HtmlNode } from "./html-tree";

/** One block of Markdown: `text` is its Markdown source ("## Title" for a heading of level 2). */
export interface MarkdownBlock {
  kind: BlockKind;
  text: string;
  level?: number;
}
const BLOCK = new Set(["p", "div", "section", "article", "main", "header", "footer", "aside", "figure", "figcaption", "address", "details", "summary", "center", "body", "html", "fieldset", "dl", "dt", "dd", "caption"]);
const HEADING = /^h([1-6])$/;

const collapse = (s: string) => s.replace(/[ \t\r\n\f]+/g, " ");

/** Text of a subtree as a person reads it: whitespace collapsed, dropped elements left out. */
export function textOf(node: HtmlNode): string {
  if (node.type === "text") return node.data;
  if (node.name === "br") return "\n";
  let out = "";
  for (const c of node.children) out += textOf(c);
  return out;
}

function inline(nodes: readonly HtmlNode[]): string {
  return nodes.map(inlineNode).join("");
}

function inlineNode(node: HtmlNode): string {
  if (node.type === "text") return collapse(node.data);
  const inner = () => inline(node.children);
  switch (node.name) {
    case "br":
      return "\n";
    case "strong":
    case "b":
      return wrap(inner(), "**");
    case "em":
    case "i":
      return wrap(inner(), "_");
    case "code":
    case "kbd":
    case "samp":
    case "tt":
      return wrap(collapse(textOf(node)), "`");
    case "a":
      return link(node, inner());
    default:
      return inner();
  }
}

/** `**x**` around the words, keeping the spaces outside ("a **b** c", not "a** b **c"). */
export function wrap(text: string, mark: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  return m[2] ? `${m[1]}${mark}${m[2]}${mark}${m[3]}` : text;
}

function link(a: HtmlElement, text: string): string {
  const href = a.attribs.href?.trim();
  // A permalink's "¶" or "#" beside a heading is chrome, not text.
  if (href?.startsWith("#") && /^[\s¶§#🔗]*$/u.test(text)) return "";
  return markdownLink(text, href);
}

/** `[text](href)`; just the text for an empty or in-page target, or one that could run code. */
export function markdownLink(text: string, href: string | undefined): string {
  if (!href || !text.trim() || href.startsWith("#") || /^(javascript|data|vbscript):/i.test(href)) return text;
  return `[${text.trim()}](${href.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

/** The Markdown blocks of `nodes`, in order; consecutive inline content forms one paragraph. */
function blocks(nodes: readonly HtmlNode[], out: MarkdownBlock[]): void {
  let run: HtmlNode[] = [];
  const flush = () => {
    const text = inline(run).replace(/ *\n */g, "\n").trim();
    if (text) out.push({ kind: "paragraph", text });
    run = [];
  };
  for (const node of nodes) {
    if (isElement(node) && isBlockElement(node)) {
      flush();
      block(node, out);
    } else run.push(node);
  }
  flush();
}

function isBlockElement(el: HtmlElement): boolean {
  return BLOCK.has(el.name) || HEADING.test(el.name) || ["ul", "ol", "table", "pre", "blockquote", "hr", "li", "tr"].includes(el.name);
}

function block(el: HtmlElement, out: MarkdownBlock[]): void {
  const heading = HEADING.exec(el.name);
  if (heading) {
    const text = collapse(inline(el.children)).trim();
    const level = Number(heading[1]);
    if (text) out.push({ kind: "heading", text: `${"#".repeat(level)} ${text}`, level });
    return;
  }
  switch (el.name) {
    case "ul":
    case "ol":
      return void pushIf(out, "list", list(el));
    case "table":
      return void pushIf(out, "table", table(el));
    case "pre": {
      const code = textOf(el).replace(/^\n|\s+$/g, "");
      return void pushIf(out, "code", code && `\`\`\`\n${code}\n\`\`\``);
    }
    case "blockquote": {
      const inner: MarkdownBlock[] = [];
      blocks(el.children, inner);
      return void pushIf(out, "paragraph", inner.map((b) => b.text).join("\n\n").replace(/^/gm, "> "));
    }
    case "hr":
      return;
    default:
      blocks(el.children, out);
  }
}

function pushIf(out: MarkdownBlock[], kind: BlockKind, text: string): void {
  if (text.trim()) out.push({ kind, text });
}

function list(el: HtmlElement): string {
  const items = el.children.filter((c): c is HtmlElement => isElement(c) && c.name === "li");
  const start = Number(el.attribs.start ?? "1") || 1;
  return items
    .map((li, i) => {
      const inner: MarkdownBlock[] = [];
      blocks(li.children, inner);
      const body = inner.map((b) => b.text).join("\n").replace(/\n/g, "\n  ");
      return body.trim() ? `${el.name === "ol" ? `${start + i}.` : "-"} ${body}` : "";
    })
    .filter(Boolean)
    .join("\n");
}

function table(el: HtmlElement): string {
  const rows: string[][] = [];
  const walk = (node: HtmlElement) => {
    for (const c of node.children) {
      if (!isElement(c) || c.name === "table") continue;
      if (c.name === "tr") rows.push(c.children.filter((x): x is HtmlElement => isElement(x) && (x.name === "td" || x.name === "th")).map(cell));
      else walk(c);
    }
  };
  walk(el);
  // A table whose body is gone (its cells held only navigation) says nothing.
  return pipeTable(rows);
}

/** Rows of cell text (escaped) as a pipe table under its first row; "" with fewer than two rows that hold text. */
export function pipeTable(rows: readonly string[][]): string {
  const [first = [], ...rest] = rows.filter((r) => r.some(Boolean));
  const width = Math.max(0, first.length, ...rest.map((r) => r.length));
  if (width === 0 || rest.length === 0) return "";
  const line = (r: readonly string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? "").join(" | ")} |`;
  return [line(first), line(Array(width).fill("---")), ...rest.map(line)].join("\n");
}

function cell(td: HtmlElement): string {
  return collapse(inline(td.children)).replace(/\|/g, "\\|").trim();
}

/** The Markdown blocks of the children of `root`. */
export function domToBlocks(root: HtmlElement): MarkdownBlock[] {
  const out: MarkdownBlock[] = [];
  blocks(root.children, out);
  return out;
}

/** Markdown for the children of `root`. */
export function domToMarkdown(root: HtmlElement): string {
  return domToBlocks(root)
    .map((b) => b.text)
    .join("\n\n");
}
