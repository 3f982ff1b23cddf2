/**
 * An HTML tree (htmlparser2's DOM) as Markdown: headings, paragraphs, lists, pipe
 * tables, fenced code, quotes, emphasis and links, in one walk. It replaces jsdom and
 * turndown, which cost about 60 ms a page; this costs a few. Scripts, styles, forms
 * and embedded content are never read.
 */
import { isTag, isText, type ChildNode, type Element } from "domhandler";

/** Never text: executable, embedded or interactive content, and the page's head. */
export const DROP = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "nav", "form", "button", "svg", "canvas", "head", "link", "meta", "select", "input", "textarea", "img", "picture", "video", "audio", "map"]);
const BLOCK = new Set(["p", "div", "section", "article", "main", "header", "footer", "aside", "figure", "figcaption", "address", "details", "summary", "center", "body", "html", "fieldset", "dl", "dt", "dd", "caption"]);
const HEADING = /^h([1-6])$/;

const collapse = (s: string) => s.replace(/[ \t\r\n\f]+/g, " ");

/** Text of a subtree as a person reads it: whitespace collapsed, dropped elements left out. */
export function textOf(node: ChildNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) || DROP.has(node.name)) return "";
  return node.children.map(textOf).join(node.name === "br" ? "\n" : "");
}

function inline(nodes: readonly ChildNode[]): string {
  return nodes.map(inlineNode).join("");
}

function inlineNode(node: ChildNode): string {
  if (isText(node)) return collapse(node.data);
  if (!isTag(node) || DROP.has(node.name)) return "";
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
function wrap(text: string, mark: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  return m[2] ? `${m[1]}${mark}${m[2]}${mark}${m[3]}` : text;
}

function link(a: Element, text: string): string {
  const href = a.attribs.href?.trim();
  // A permalink's "¶" or "#" beside a heading is chrome, not text.
  if (href?.startsWith("#") && /^[\s¶§#🔗]*$/u.test(text)) return "";
  if (!href || !text.trim() || href.startsWith("#") || /^(javascript|data|vbscript):/i.test(href)) return text;
  return `[${text.trim()}](${href.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

/** The Markdown blocks of `nodes`, in order; consecutive inline content forms one paragraph. */
function blocks(nodes: readonly ChildNode[], out: string[]): void {
  let run: ChildNode[] = [];
  const flush = () => {
    const text = inline(run).replace(/ *\n */g, "\n").trim();
    if (text) out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (isTag(node) && isBlockElement(node)) {
      flush();
      block(node, out);
    } else run.push(node);
  }
  flush();
}

function isBlockElement(el: Element): boolean {
  return BLOCK.has(el.name) || HEADING.test(el.name) || ["ul", "ol", "table", "pre", "blockquote", "hr", "li", "tr"].includes(el.name);
}

function block(el: Element, out: string[]): void {
  if (DROP.has(el.name)) return;
  const heading = HEADING.exec(el.name);
  if (heading) {
    const text = collapse(inline(el.children)).trim();
    if (text) out.push(`${"#".repeat(Number(heading[1]))} ${text}`);
    return;
  }
  switch (el.name) {
    case "ul":
    case "ol":
      return void pushIf(out, list(el));
    case "table":
      return void pushIf(out, table(el));
    case "pre":
      return void pushIf(out, textOf(el).replace(/^\n|\s+$/g, "") && `\`\`\`\n${textOf(el).replace(/^\n|\s+$/g, "")}\n\`\`\``);
    case "blockquote": {
      const inner: string[] = [];
      blocks(el.children, inner);
      return void pushIf(out, inner.join("\n\n").replace(/^/gm, "> "));
    }
    case "hr":
      return;
    default:
      blocks(el.children, out);
  }
}

function pushIf(out: string[], text: string): void {
  if (text.trim()) out.push(text);
}

function list(el: Element): string {
  const items = el.children.filter((c): c is Element => isTag(c) && c.name === "li");
  const start = Number(el.attribs.start ?? "1") || 1;
  return items
    .map((li, i) => {
      const inner: string[] = [];
      blocks(li.children, inner);
      const body = inner.join("\n").replace(/\n/g, "\n  ");
      return body.trim() ? `${el.name === "ol" ? `${start + i}.` : "-"} ${body}` : "";
    })
    .filter(Boolean)
    .join("\n");
}

function table(el: Element): string {
  const rows: string[][] = [];
  const walk = (node: Element) => {
    for (const c of node.children) {
      if (!isTag(c) || c.name === "table") continue;
      if (c.name === "tr") rows.push(c.children.filter((x): x is Element => isTag(x) && (x.name === "td" || x.name === "th")).map(cell));
      else walk(c);
    }
  };
  walk(el);
  const [first = [], ...rest] = rows.filter((r) => r.some(Boolean));
  const width = Math.max(0, first.length, ...rest.map((r) => r.length));
  // A table whose body is gone (its cells held only navigation) says nothing.
  if (width === 0 || rest.length === 0) return "";
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? "").join(" | ")} |`;
  return [line(first), line(Array(width).fill("---")), ...rest.map(line)].join("\n");
}

function cell(td: Element): string {
  return collapse(inline(td.children)).replace(/\|/g, "\\|").trim();
}

/** Markdown for the children of `root`. */
export function domToMarkdown(root: Element | { children: ChildNode[] }): string {
  const out: string[] = [];
  blocks(root.children, out);
  return out.join("\n\n");
}
