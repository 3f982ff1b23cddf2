/**
 * Where a page's own content is: by its semantics first (`main`, `role=main`,
 * `article`), else the body without the page furniture (`nav`, `header`,
 * `footer`, `aside`, elements named for navigation, and blocks that are mostly
 * links; on a page that is all links, such as an index, the links are kept).
 * No scoring pass over the whole page, so it costs next to nothing.
 */
import { isElement, type HtmlElement, type HtmlNode } from "./html-tree";
import { textOf } from "./html-markdown";

const FURNITURE_TAGS = new Set(["nav", "header", "footer", "aside"]);
const FURNITURE_ROLES = new Set(["navigation", "banner", "contentinfo", "complementary", "search"]);
/** id or class words of navigation and chrome: "page-header", "breadcrumbs", "sidebar", "toc" … */
const FURNITURE_NAME = /(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|sidebar|footer|header|masthead|toc|skip|cookies?|banner|pagination|share|social|quickview|path)([\s_-]|$)/i;
/** A block whose text is at least this share link text is navigation. */
const LINK_DENSITY = 0.6;

export function findAll(root: HtmlElement, match: (el: HtmlElement) => boolean): HtmlElement[] {
  const out: HtmlElement[] = [];
  const walk = (el: HtmlElement) => {
    for (const n of el.children) {
      if (!isElement(n)) continue;
      if (match(n)) out.push(n);
      walk(n);
    }
  };
  walk(root);
  return out;
}

/** Characters of visible text, whitespace left out. */
export function textLength(el: HtmlElement): number {
  return countVisible(textOf(el));
}

function countVisible(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 32 && c !== 160) n++;
  }
  return n;
}

const largest = (els: HtmlElement[]) => els.reduce((a, b) => (textLength(b) > textLength(a) ? b : a));

/** The element holding the page's own content, found by its semantics; undefined when the page has none. */
export function semanticMain(root: HtmlElement): HtmlElement | undefined {
  const main = findAll(root, (el) => el.name === "main" || el.attribs.role === "main");
  if (main.length > 0) return largest(main);
  const articles = findAll(root, (el) => el.name === "article");
  return articles.length > 0 ? largest(articles) : undefined;
}

/** Containers that hold furniture; a cell or a span named "header" is content. */
const CONTAINERS = new Set(["div", "section", "ul", "ol", "dl", "table", "p"]);

function isFurniture(el: HtmlElement): boolean {
  if (FURNITURE_TAGS.has(el.name) || FURNITURE_ROLES.has(el.attribs.role ?? "")) return true;
  return CONTAINERS.has(el.name) && FURNITURE_NAME.test(`${el.attribs.id ?? ""} ${el.attribs.class ?? ""}`);
}

/** Visible characters of a subtree, and how many of them are inside links; one walk. */
function measure(el: HtmlElement, inLink: boolean, into: { all: number; linked: number }): void {
  const linked = inLink || el.name === "a";
  for (const c of el.children) {
    if (c.type === "text") {
      const n = countVisible(c.data);
      into.all += n;
      if (linked) into.linked += n;
    } else measure(c, linked, into);
  }
}

function linkShare(el: HtmlElement): number {
  const counts = { all: 0, linked: 0 };
  measure(el, false, counts);
  return counts.all === 0 ? 0 : counts.linked / counts.all;
}

/**
 * A copy of `root`'s subtree without the page furniture, keeping headings and the
 * content around it; with `links`, blocks that are mostly links count as furniture too.
 */
export function withoutFurniture(root: HtmlElement, { links }: { links: boolean }): HtmlElement {
  const keep = (n: HtmlNode): HtmlNode[] => {
    if (!isElement(n)) return [n];
    if (isFurniture(n)) return [];
    if (links && CONTAINERS.has(n.name) && linkShare(n) >= LINK_DENSITY) return [];
    return [{ ...n, children: n.children.flatMap(keep) }];
  };
  return { ...root, children: root.children.flatMap(keep) };
}
