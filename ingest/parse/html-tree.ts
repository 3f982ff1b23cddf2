/**
 * A page's element tree, built from htmlparser2's tokenizer events into plain
 * objects. domhandler's node classes (parent and sibling links, positions) cost
 * more than the parsing itself; the converters only walk children downwards.
 * Subtrees that are never text (scripts, styles, the head…) are not built at all.
 */
import { Parser } from "htmlparser2";

export interface HtmlText {
  type: "text";
  data: string;
}

export interface HtmlElement {
  type: "tag";
  name: string;
  attribs: Record<string, string>;
  children: HtmlNode[];
}

export type HtmlNode = HtmlElement | HtmlText;

/** Never text: executable, embedded or interactive content, and the page's head. */
export const DROP = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "nav", "form", "button", "svg", "canvas", "head", "link", "meta", "select", "input", "textarea", "img", "picture", "video", "audio", "map"]);

export interface HtmlTree {
  root: HtmlElement;
  /** The text of the page's <title>, if any (it sits in the dropped head). */
  title?: string;
}

export const isElement = (node: HtmlNode): node is HtmlElement => node.type === "tag";

/**
 * Parses `html` into a tree of the elements that can hold text. With `xml`, the source is
 * XML (a Word document's parts): names keep their case and prefix, and nothing is dropped.
 */
export function parseHtml(html: string, { xml = false }: { xml?: boolean } = {}): HtmlTree {
  const root: HtmlElement = { type: "tag", name: "#root", attribs: {}, children: [] };
  const stack: HtmlElement[] = [root];
  /** Depth inside dropped elements: while positive, nothing is built. */
  let dropped = 0;
  let inTitle = false;
  let title = "";
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === "title") inTitle = true;
        if (dropped > 0 || (!xml && DROP.has(name))) {
          dropped++;
          return;
        }
        const el: HtmlElement = { type: "tag", name, attribs, children: [] };
        stack[stack.length - 1]!.children.push(el);
        stack.push(el);
      },
      onclosetag() {
        inTitle = false;
        if (dropped > 0) dropped--;
        else if (stack.length > 1) stack.pop();
      },
      ontext(data) {
        if (inTitle) title += data;
        if (dropped > 0) return;
        const children = stack[stack.length - 1]!.children;
        const last = children[children.length - 1];
        if (last?.type === "text") last.data += data;
        else children.push({ type: "text", data });
      },
    },
    xml ? { xmlMode: true, decodeEntities: true } : { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  const tree: HtmlTree = { root };
  const t = title.replace(/\s+/g, " ").trim();
  if (t) tree.title = t;
  return tree;
}
