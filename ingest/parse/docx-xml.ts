/**
 * A Word document's text straight from its XML (word/document.xml), as Markdown blocks:
 * heading styles (by their names in word/styles.xml: "heading 1"…"heading 6", "Title",
 * "Subtitle") become headings, numbered and bulleted paragraphs lists (word/numbering.xml
 * says which), tables pipe tables, bold and italic runs emphasis, hyperlinks links (their
 * targets in word/_rels/document.xml.rels). Deleted revisions are left out, inserted ones
 * kept. Only these parts are inflated, each within the archive's caps.
 */
import { checkArchiveLimits, DEFAULT_ARCHIVE_LIMITS, inflateEntry, readZipDirectory, type ArchiveLimits } from "@/ingest/safety/zip";
import { IngestError } from "./errors";
import { markdownLink, pipeTable, wrap, type MarkdownBlock } from "./html-markdown";
import { isElement, parseHtml, type HtmlElement, type HtmlNode } from "./html-tree";

const decoder = new TextDecoder();

/** The parts of a DOCX this reader uses, checked against `limits`; document.xml is required. */
export function readDocxParts(bytes: Uint8Array, fileName: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) {
  const entries = readZipDirectory(bytes);
  checkArchiveLimits(entries, bytes.length, limits);
  /** A part's top element (w:document, w:styles, w:numbering, Relationships). */
  const part = (name: string) => {
    const entry = entries.find((e) => e.name === name);
    return entry ? children(parseHtml(decoder.decode(inflateEntry(bytes, entry)), { xml: true }).root)[0] : undefined;
  };
  const document = part("word/document.xml");
  if (!entries.some((e) => e.name === "word/document.xml")) {
    throw new IngestError("corrupt_file", `"${fileName}" is not a valid Word document (word/document.xml is missing); re-save it as .docx and upload it again`);
  }
  return { document, styles: part("word/styles.xml"), numbering: part("word/numbering.xml"), rels: part("word/_rels/document.xml.rels") };
}

type Parts = ReturnType<typeof readDocxParts>;

const children = (el: HtmlElement | undefined, name?: string): HtmlElement[] => (el ? el.children.filter((c): c is HtmlElement => isElement(c) && (!name || c.name === name)) : []);
const child = (el: HtmlElement | undefined, name: string) => children(el, name)[0];
const val = (el: HtmlElement | undefined) => el?.attribs["w:val"];

/** What a paragraph is, from its style and numbering. */
interface Context {
  headingLevel(styleId: string | undefined): number | undefined;
  ordered(numId: string | undefined, level: number): boolean;
  link(relId: string | undefined): string | undefined;
}

function context({ styles, numbering, rels }: Parts): Context {
  const names = new Map(children(styles, "w:style").map((s) => [s.attribs["w:styleId"] ?? "", (val(child(s, "w:name")) ?? "").toLowerCase()]));
  const abstract = new Map(children(numbering, "w:abstractNum").map((a) => [a.attribs["w:abstractNumId"] ?? "", a]));
  const nums = new Map(children(numbering, "w:num").map((n) => [n.attribs["w:numId"] ?? "", abstract.get(val(child(n, "w:abstractNumId")) ?? "")]));
  const targets = new Map(children(rels, "Relationship").filter((r) => r.attribs.TargetMode === "External").map((r) => [r.attribs.Id ?? "", r.attribs.Target ?? ""]));
  return {
    headingLevel(styleId) {
      const name = names.get(styleId ?? "") ?? styleId?.toLowerCase() ?? "";
      const heading = /^heading ?([1-6])$/.exec(name);
      if (heading) return Number(heading[1]);
      return name === "title" ? 1 : name === "subtitle" ? 2 : undefined;
    },
    ordered(numId, level) {
      const lvl = children(nums.get(numId ?? "")).find((l) => l.name === "w:lvl" && l.attribs["w:ilvl"] === String(level));
      const format = val(child(lvl, "w:numFmt"));
      return !!format && format !== "bullet" && format !== "none";
    },
    link: (relId) => (relId ? targets.get(relId) : undefined),
  };
}

const on = (prop: HtmlElement | undefined) => !!prop && !["0", "false", "none"].includes(val(prop) ?? "");

/** A run's text: w:t, tabs and breaks. */
function runText(run: HtmlElement): string {
  let out = "";
  for (const c of children(run)) {
    if (c.name === "w:t") out += c.children.map((t) => (t.type === "text" ? t.data : "")).join("");
    else if (c.name === "w:tab") out += " ";
    else if (c.name === "w:br" || c.name === "w:cr") out += "\n";
  }
  return out;
}

/** A paragraph's inline Markdown: runs with the same emphasis are merged, then marked. */
function inline(nodes: readonly HtmlNode[], ctx: Context): string {
  const spans: { text: string; bold: boolean; italic: boolean; href?: string }[] = [];
  const walk = (els: HtmlElement[], href?: string) => {
    for (const el of els) {
      if (el.name === "w:r") {
        const props = child(el, "w:rPr");
        const span = { text: runText(el), bold: on(child(props, "w:b")), italic: on(child(props, "w:i")), href };
        const last = spans[spans.length - 1];
        if (last && last.bold === span.bold && last.italic === span.italic && last.href === span.href) last.text += span.text;
        else spans.push(span);
      } else if (el.name === "w:hyperlink") walk(children(el), ctx.link(el.attribs["r:id"]));
      else if (el.name === "w:ins" || el.name === "w:smartTag" || el.name === "w:sdt" || el.name === "w:sdtContent" || el.name === "w:fldSimple") walk(children(el), href);
    }
  };
  walk(nodes.filter(isElement));
  return spans
    .map((s) => {
      let text = s.text;
      if (s.bold) text = wrap(text, "**");
      if (s.italic) text = wrap(text, "_");
      return markdownLink(text, s.href);
    })
    .join("")
    .replace(/[ \t]+/g, " ")
    .trim();
}

function table(tbl: HtmlElement, ctx: Context): string {
  const rows = children(tbl, "w:tr").map((tr) =>
    children(tr, "w:tc").map((tc) =>
      children(tc, "w:p")
        .map((p) => inline(p.children, ctx))
        .filter(Boolean)
        .join(" ")
        .replace(/\n/g, " ")
        .replace(/\|/g, "\\|"),
    ),
  );
  const filled = rows.filter((r) => r.some(Boolean));
  // A one-row table has no body to put under a header: its text is kept as text.
  return filled.length === 1 ? filled[0]!.filter(Boolean).join(" ") : pipeTable(filled);
}

/** The document body as Markdown blocks, in order. */
export function docxBlocks(parts: Parts): MarkdownBlock[] {
  const ctx = context(parts);
  const out: MarkdownBlock[] = [];
  let list: string[] = [];
  const counters: number[] = [];
  const endList = () => {
    if (list.length > 0) out.push({ kind: "list", text: list.join("\n") });
    list = [];
    counters.length = 0;
  };
  const visit = (els: HtmlElement[]) => {
    for (const el of els) {
      if (el.name === "w:sdt" || el.name === "w:sdtContent" || el.name === "w:ins" || el.name === "w:customXml") {
        visit(children(el));
      } else if (el.name === "w:tbl") {
        endList();
        const text = table(el, ctx);
        if (text) out.push({ kind: "table", text });
      } else if (el.name === "w:p") {
        const props = child(el, "w:pPr");
        const text = inline(el.children, ctx);
        const numPr = child(props, "w:numPr");
        const level = ctx.headingLevel(val(child(props, "w:pStyle")));
        if (numPr && level === undefined) {
          if (!text) continue;
          const depth = Number(val(child(numPr, "w:ilvl")) ?? "0") || 0;
          counters.length = depth + 1;
          counters[depth] = (counters[depth] ?? 0) + 1;
          const marker = ctx.ordered(val(child(numPr, "w:numId")), depth) ? `${counters[depth]}.` : "-";
          list.push(`${"  ".repeat(depth)}${marker} ${text.replace(/\n/g, " ")}`);
          continue;
        }
        endList();
        if (!text) continue;
        out.push(level === undefined ? { kind: "paragraph", text } : { kind: "heading", text: `${"#".repeat(level)} ${text.replace(/\s+/g, " ")}`, level });
      }
    }
  };
  visit(children(child(parts.document, "w:body")));
  endList();
  return out;
}
