/**
 * Originals as a reader sees them, with the cited passage shaded: HTML pages
 * sanitised (served in a sandboxed frame), Word, Markdown, text and CSV files
 * as their extracted text rendered, PDF pages as images (pdf-page.ts).
 */
import { markPassage, passageLinks, renderDocument } from "@/lib/chat/markdown";
import { decodeText, parseDocument } from "../parse";
import { htmlLinks, safeHtml } from "./html";

export { pdfPageLayout, renderPdfPage, passageItems, type PdfPageImage, type PdfPageLayout } from "./pdf-page";

export interface RenderedView {
  /** Safe HTML of the document's body. */
  html: string;
  /** Whether the passage was found and shaded. */
  marked: boolean;
  title?: string;
}

/** Where a document's links lead in Vouch, all resolved at once: href → address, or null. */
export type ResolveLinks = (hrefs: readonly string[]) => Promise<ReadonlyMap<string, string | null>>;

/** An HTML original, sanitised, with the passage shaded. */
export async function htmlView(bytes: Uint8Array, resolveLinks: ResolveLinks, passage?: string): Promise<RenderedView> {
  const source = decodeText(bytes);
  const links = await resolveLinks(htmlLinks(source));
  const page = safeHtml(source, (href) => links.get(href) ?? null);
  return { ...markPassage(page.body, passage), ...(page.title ? { title: page.title } : {}) };
}

/** Any other original as the text Vouch extracted from it (Word files as their headings, lists and tables). */
export async function textView(bytes: Uint8Array, fileName: string, resolveLinks: ResolveLinks, passage?: string): Promise<RenderedView> {
  const parsed = await parseDocument({ bytes, fileName });
  const links = await resolveLinks(passageLinks(parsed.text));
  return { ...renderDocument(parsed.text, { passage, resolveLink: (href) => links.get(href) ?? null }), ...(parsed.title ? { title: parsed.title } : {}) };
}
