/**
 * Where a page's own content is: by its semantics first (`main`, `role=main`,
 * `article`), else the body without the page furniture (`nav`, `header`,
 * `footer`, `aside`, elements named for navigation, and blocks that are mostly
 * links). No scoring pass over the whole page, so it costs next to nothing.
 */
import { isTag, isText, type ChildNode, type Document, type Element } from "domhandler";
import { DROP, textOf } from "./html-markdown";

const FURNITURE_TAGS = new Set(["nav", "header", "footer", "aside"]);
const FURNITURE_ROLES = new Set(["navigation", "banner", "contentinfo", "complementary", "search"]);
/** id or class words of navigation and chrome: "page-header", "breadcrumbs", "sidebar", "toc" … */
const FURNITURE_NAME = /(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|sidebar|footer|header|masthead|toc|skip|cookies?|banner|pagination|share|social|quickview|path)([\s_-]|$)/i;
/** A block whose text is at least this share link text is navigation. */
const LINK_DENSITY = 0.6;

export function findAll(root: Document | Element, match: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  const walk = (nodes: readonly ChildNode[]) => {
    for (const n of nodes) {
      if (!isTag(n) || DROP.has(n.name)) continue;
      if (match(n)) out.push(n);
      walk(n.children);
    }
  };
  walk(root.children);
  return out;
}

const textLength = (el: Element) => textOf(el).replace(/\s+/g, "").length;
const largest = (els: Element[]) => els.reduce((a, b) => (textLength(b) > textLength(a) ? b : a));

/** The element holding the page's own content, found by its semantics; undefined when the page has none. */
export function semanticMain(doc: Document): Element | undefined {
  const main = findAll(doc, (el) => el.name === "main" || el.attribs.role === "main");
  if (main.length > 0) return largest(main);
  const articles = findAll(doc, (el) => el.name === "article");
  return articles.length > 0 ? largest(articles) : undefined;
}

/** Containers that hold furniture; a cell or a span named "header" is content. */
const CONTAINERS = new Set(["div", "section", "ul", "ol", "dl", "table", "p"]);

function isFurniture(el: Element): boolean {
  if (FURNITURE_TAGS.has(el.name) || FURNITURE_ROLES.has(el.attribs.role ?? "")) return true;
  return CONTAINERS.has(el.name) && FURNITURE_NAME.test(`${el.attribs.id ?? ""} ${el.attribs.class ?? ""}`);
}

function linkShare(el: Element): number {
  const all = textLength(el);
  if (all === 0) return 0;
  const linked = findAll(el, (x) => x.name === "a").reduce((sum, a) => sum + textLength(a), 0);
  return linked / all;
}

/** Removes page furniture from `root`'s subtree (in place), keeping headings and the content around it. */
export function stripFurniture(root: Document | Element): void {
  const prune = (parent: Document | Element) => {
    parent.children = parent.children.filter((n) => {
      if (!isTag(n)) return isText(n) || n.type === "cdata";
      if (DROP.has(n.name) || isFurniture(n)) return false;
      if (CONTAINERS.has(n.name) && linkShare(n) >= LINK_DENSITY) return false;
      prune(n);
      return true;
    });
  };
  prune(root);
}
