/**
 * An uploaded HTML page made safe to read inside Vouch: parsed (scripts,
 * styles, embeds, forms, images and the head never built), then written back
 * with an allow-list of text elements and attributes. Links to other documents
 * of the knowledge base lead to them; same-page anchors keep working; every
 * other link becomes its text. The result is served in a sandboxed frame with
 * a policy that loads nothing, so even a missed trick could not run.
 */
import { isElement, parseHtml, type HtmlElement, type HtmlNode } from "../parse/html-tree";

const KEEP = new Set(
  "p div span section article main header footer aside h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr td th caption colgroup col pre code kbd samp var blockquote em strong b i u s sub sup small br hr a abbr cite q dfn mark figure figcaption address time del ins details summary".split(" "),
);
const VOID = new Set(["br", "hr", "col"]);
const ATTRIBUTES: Record<string, readonly string[]> = { "*": ["id", "title", "lang", "dir"], td: ["colspan", "rowspan"], th: ["colspan", "rowspan", "scope"], ol: ["start"], a: ["name"] };

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, "&quot;");

export interface SafeHtml {
  /** The page's body as safe HTML. */
  body: string;
  title?: string;
}

/** `resolve(href)`: where a link leads inside Vouch (another document), or null. */
export function safeHtml(html: string, resolve: (href: string) => string | null): SafeHtml {
  const tree = parseHtml(html);
  const body = findBody(tree.root) ?? tree.root;
  return { body: body.children.map((n) => write(n, resolve)).join(""), ...(tree.title ? { title: tree.title } : {}) };
}

/** Every link target in the page, for resolving them in one query. */
export function htmlLinks(html: string): string[] {
  const hrefs = new Set<string>();
  const walk = (node: HtmlNode) => {
    if (!isElement(node)) return;
    if (node.name === "a" && node.attribs.href) hrefs.add(node.attribs.href);
    node.children.forEach(walk);
  };
  walk(parseHtml(html).root);
  return [...hrefs];
}

function findBody(el: HtmlElement): HtmlElement | undefined {
  if (el.name === "body") return el;
  for (const child of el.children) {
    const found = isElement(child) ? findBody(child) : undefined;
    if (found) return found;
  }
  return undefined;
}

function write(node: HtmlNode, resolve: (href: string) => string | null): string {
  if (!isElement(node)) return escapeText(node.data);
  const inner = node.children.map((n) => write(n, resolve)).join("");
  const name = node.name.toLowerCase();
  if (!KEEP.has(name)) return inner; // unknown or presentational wrappers: their text stays
  const attributes = [...(ATTRIBUTES["*"] ?? []), ...(ATTRIBUTES[name] ?? [])]
    .filter((a) => node.attribs[a] !== undefined && /^[\w\s:.,#%()/-]{0,200}$/.test(node.attribs[a]!))
    .map((a) => ` ${a}="${escapeAttribute(node.attribs[a]!)}"`);
  if (name === "a") {
    const href = node.attribs.href;
    const inside = href ? (href.startsWith("#") ? href : resolve(href)) : null;
    if (inside && !inside.startsWith("#")) attributes.push(` href="${escapeAttribute(inside)}" target="_top"`);
    else if (inside) attributes.push(` href="${escapeAttribute(inside)}"`);
    else if (href) return inner;
  }
  return VOID.has(name) ? `<${name}${attributes.join("")}>` : `<${name}${attributes.join("")}>${inner}</${name}>`;
}
