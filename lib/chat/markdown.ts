/**
 * Markdown to safe HTML for answers: raw HTML in the text is escaped, links
 * keep only http(s) and mailto targets, images become their alt text, and
 * [n] citation markers become buttons the page wires to the source panel.
 */
import { Marked, type Token, type Tokens } from "marked";
import { topicWords } from "@/lib/rag/relevance";
import { contentWords } from "@/lib/retrieval/words";
import { highlightHtml, matchSentences, plainOfHtml, sentencesOf } from "./highlight";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const WEB_LINK = /^(https?:|mailto:)/i;
/** The address the jsdom-based converter (before afbee10) gave relative links: passages stored then carry it. */
const PLACEHOLDER_LINK = /^https?:\/\/[^/]*\.invalid(\/|$)/i;

/** Safe Markdown: raw HTML escaped, images as their alt text, links kept only where `keepLink` says. */
function safeMarked(keepLink: (href: string) => boolean, resolve?: (href: string) => string | null): Marked {
  return new Marked({
    gfm: true,
    breaks: true,
    renderer: {
      html({ text }) {
        return escapeHtml(text);
      },
      link({ href, tokens }) {
        const label = this.parser.parseInline(tokens);
        const inside = resolve?.(href);
        if (inside) return `<a href="${escapeHtml(inside)}" class="doc-link">${label}</a>`;
        if (!keepLink(href)) return label;
        return `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow" target="_blank">${label}</a>`;
      },
      image({ text }) {
        return escapeHtml(text);
      },
    },
  });
}

/** A link a passage keeps as it is: a real web or mail address, not a converter's placeholder. */
export const isWebLink = (href: string) => WEB_LINK.test(href) && !PLACEHOLDER_LINK.test(href);

const marked = safeMarked((href) => WEB_LINK.test(href));
const passageMarked = safeMarked(isWebLink);

/** `valid(n)` says whether source n exists; other markers are left out (they were already flagged). */
export function renderAnswer(markdown: string, valid: (n: number) => boolean): string {
  const html = marked.parse(markdown, { async: false }) as string;
  return html.replace(/\[(\d{1,3})\]/g, (_m, d: string) => {
    const n = Number(d);
    return valid(n) ? `<button type="button" class="cite" data-cite="${n}" aria-label="Source ${n}">${n}</button>` : "";
  });
}

export interface PassageMarks {
  /** The question: its content words are marked (agents' chatter words are not). */
  question?: string;
  /** The answer's sentences that cite this passage: the passage sentences saying the same are shaded. */
  claims?: readonly string[];
  /** Where a link inside the passage leads in Vouch (another document of its knowledge base), or null. */
  resolveLink?: (href: string) => string | null;
}

/**
 * A retrieved passage as safe HTML: its Markdown rendered (headings, lists, code, tables), links kept
 * when they lead to a real web address or resolve to a document of the same knowledge base (others
 * become their text), the question's words marked and the sentences the answer cites shaded.
 */
export function renderPassage(markdown: string, marks: PassageMarks = {}): string {
  const resolve = marks.resolveLink;
  const renderer = resolve ? safeMarked(isWebLink, resolve) : passageMarked;
  const html = renderer.parse(markdown, { async: false }) as string;
  const terms = marks.question ? topicWords(marks.question) : new Set<string>();
  const ranges = marks.claims?.length ? matchSentences(plainOfHtml(html), marks.claims) : [];
  return highlightHtml(html, {
    ranges,
    word: (w) => {
      const [stem] = contentWords(w);
      return stem !== undefined && terms.has(stem);
    },
  });
}

/** The link targets written in a passage's Markdown, as written. */
export function passageLinks(markdown: string): string[] {
  const hrefs = new Set<string>();
  const walk = (tokens: readonly Token[]) => {
    for (const t of tokens) {
      if (t.type === "link") hrefs.add((t as Tokens.Link).href);
      if ("tokens" in t && t.tokens) walk(t.tokens);
      if (t.type === "list") walk((t as Tokens.List).items);
      if (t.type === "table") for (const cell of [...(t as Tokens.Table).header, ...(t as Tokens.Table).rows.flat()]) walk(cell.tokens);
    }
  };
  walk(new Marked().lexer(markdown));
  return [...hrefs];
}

/**
 * A whole document's text (Markdown) as safe HTML for the viewer, with the sentences of `passage`
 * shaded where the document says them, the first one given id="vouch-passage" to scroll to.
 */
export function renderDocument(markdown: string, options: { passage?: string; resolveLink?: (href: string) => string | null }): { html: string; marked: boolean } {
  const renderer = safeMarked(isWebLink, options.resolveLink);
  return markPassage(renderer.parse(markdown, { async: false }) as string, options.passage);
}

/** Safe HTML with a passage's sentences shaded where it says them (near-identical wording only). */
export function markPassage(html: string, passage: string | undefined): { html: string; marked: boolean } {
  if (!passage) return { html, marked: false };
  const targets = sentencesOf(plainOfHtml(passageMarked.parse(passage, { async: false }) as string)).map((s) => s.text);
  const ranges = matchSentences(plainOfHtml(html), targets, true);
  return { html: highlightHtml(html, { ranges, firstId: PASSAGE_ANCHOR }), marked: ranges.length > 0 };
}

/** The id the viewer scrolls to: the passage's first shaded sentence. */
export const PASSAGE_ANCHOR = "vouch-passage";
