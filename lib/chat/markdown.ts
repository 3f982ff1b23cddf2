/**
 * Markdown to safe HTML for answers: raw HTML in the text is escaped, links
 * keep only http(s) and mailto targets, images become their alt text, and
 * [n] citation markers become buttons the page wires to the source panel.
 */
import { Marked } from "marked";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const WEB_LINK = /^(https?:|mailto:)/i;
/** The address the jsdom-based converter (before afbee10) gave relative links: passages stored then carry it. */
const PLACEHOLDER_LINK = /^https?:\/\/[^/]*\.invalid(\/|$)/i;

/** Safe Markdown: raw HTML escaped, images as their alt text, links kept only where `keepLink` says. */
function safeMarked(keepLink: (href: string) => boolean): Marked {
  return new Marked({
    gfm: true,
    breaks: true,
    renderer: {
      html({ text }) {
        return escapeHtml(text);
      },
      link({ href, tokens }) {
        const label = this.parser.parseInline(tokens);
        if (!keepLink(href)) return label;
        return `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow" target="_blank">${label}</a>`;
      },
      image({ text }) {
        return escapeHtml(text);
      },
    },
  });
}

const marked = safeMarked((href) => WEB_LINK.test(href));
const passageMarked = safeMarked((href) => WEB_LINK.test(href) && !PLACEHOLDER_LINK.test(href));

/** `valid(n)` says whether source n exists; other markers are left out (they were already flagged). */
export function renderAnswer(markdown: string, valid: (n: number) => boolean): string {
  const html = marked.parse(markdown, { async: false }) as string;
  return html.replace(/\[(\d{1,3})\]/g, (_m, d: string) => {
    const n = Number(d);
    return valid(n) ? `<button type="button" class="cite" data-cite="${n}" aria-label="Source ${n}">${n}</button>` : "";
  });
}

/**
 * A retrieved passage as safe HTML: its Markdown rendered (headings, lists, code, tables), links
 * kept only when they lead to a real web address (converted documents carry placeholders), and
 * the words given in `highlight` (content-word stems) marked.
 */
export function renderPassage(markdown: string, highlight: (word: string) => boolean): string {
  const html = passageMarked.parse(markdown, { async: false }) as string;
  // Words in text, not in tags or entities.
  return html
    .split(/(<[^>]+>)/)
    .map((part) => (part.startsWith("<") ? part : part.replace(/(?<!&#?)[\p{L}\p{N}]+/gu, (w) => (highlight(w) ? `<mark>${w}</mark>` : w))))
    .join("");
}
