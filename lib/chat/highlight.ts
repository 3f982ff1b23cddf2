/**
 * Marking sentences and words inside safe HTML without breaking its tags: the
 * source panel shades the passage sentences an answer cites and marks the
 * question's words; the document viewer shades the passage inside the whole
 * document. The HTML must already be safe (rendered by our Markdown renderer or
 * sanitised): only its text between tags is read and wrapped.
 */
import { contentWords } from "@/lib/retrieval/words";

/** Tags that end a line of text: a sentence never runs across them. */
const BLOCK_END = /^<\/?(p|li|ul|ol|tr|td|th|h[1-6]|pre|blockquote|table|div|section|article|dd|dt|br|hr)\b/i;
/** Splits text around its entities: the captured pieces (odd indexes) are the entities. */
const AROUND_ENTITIES = /(&(?:#\d+|#x[0-9a-f]+|[a-z]+);)/i;

interface TextPart {
  kind: "text";
  raw: string;
  /** Plain-text offset of each unit (a character or a whole entity) and the raw slices. */
  units: { raw: string; at: number }[];
}
type Part = TextPart | { kind: "tag"; raw: string };

/** The HTML's parts and its plain text (entities counted as one character, blocks ended by newlines). */
function readParts(html: string): { parts: Part[]; plain: string } {
  const parts: Part[] = [];
  let plain = "";
  for (const raw of html.split(/(<[^>]+>)/)) {
    if (!raw) continue;
    if (raw.startsWith("<")) {
      parts.push({ kind: "tag", raw });
      if (BLOCK_END.test(raw)) plain += "\n";
      continue;
    }
    const units: TextPart["units"] = [];
    raw.split(AROUND_ENTITIES).forEach((piece, i) => {
      if (i % 2 === 1) {
        units.push({ raw: piece, at: plain.length });
        plain += decodeEntity(piece);
      } else {
        for (const ch of piece) {
          units.push({ raw: ch, at: plain.length });
          plain += ch;
        }
      }
    });
    parts.push({ kind: "text", raw, units });
  }
  return { parts, plain };
}

function decodeEntity(entity: string): string {
  const named: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " " };
  if (named[entity]) return named[entity];
  const code = entity.startsWith("&#x") ? parseInt(entity.slice(3, -1), 16) : entity.startsWith("&#") ? parseInt(entity.slice(2, -1), 10) : NaN;
  return Number.isFinite(code) ? String.fromCodePoint(code) : " ";
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
}

/** Sentences of plain text: ended by . ! ? before a space, or by a line break. */
export function sentencesOf(plain: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /[^\n]+?(?:[.!?](?=\s|$)|(?=\n)|$)/g;
  for (const m of plain.matchAll(re)) {
    const lead = m[0].length - m[0].trimStart().length;
    const text = m[0].trim();
    if (text) out.push({ start: m.index + lead, end: m.index + lead + text.length, text });
  }
  return out;
}

const stems = (text: string) => new Set(contentWords(text));

/**
 * The sentences of `plain` that say what each target says: a sentence is chosen when most of its
 * words are in one target, or when it is the target's best match and holds most of the target's words.
 * `strict` (the passage inside its whole document) asks for near-identical wording both ways, and
 * takes each target's first match after the previous one's, so the passage is found where it is,
 * not wherever a short heading or table cell repeats.
 */
export function matchSentences(plain: string, targets: readonly string[], strict = false): Sentence[] {
  const sentences = sentencesOf(plain).map((s) => ({ ...s, words: stems(s.text) }));
  const wanted = targets.map(stems).filter((w) => w.size > 0);
  return strict ? inOrder(sentences, wanted) : loosely(sentences, wanted);
}

type Scored = Sentence & { words: Set<string> };
const sharedCount = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length;

function loosely(sentences: Scored[], wanted: Set<string>[]): Sentence[] {
  const chosen = new Set<number>();
  for (const want of wanted) {
    let best = -1;
    let bestCover = 0;
    sentences.forEach((s, i) => {
      if (s.words.size === 0) return;
      const shared = sharedCount(s.words, want);
      if (shared >= Math.min(2, s.words.size) && shared / s.words.size >= 0.6) chosen.add(i);
      const cover = shared / want.size;
      if (cover > bestCover) [best, bestCover] = [i, cover];
    });
    if (best >= 0 && bestCover >= 0.5) chosen.add(best);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => sentences[i]!);
}

function inOrder(sentences: Scored[], wanted: Set<string>[]): Sentence[] {
  const chosen: Sentence[] = [];
  let cursor = 0;
  for (const want of wanted) {
    const at = sentences.findIndex((s, i) => {
      if (i < cursor || s.words.size === 0) return false;
      const shared = sharedCount(s.words, want);
      return shared / s.words.size >= 0.8 && shared / want.size >= 0.8;
    });
    if (at < 0) continue;
    chosen.push(sentences[at]!);
    cursor = at + 1;
  }
  return chosen;
}

/** Words in text, not inside entities. */
const WORD = /(?<!&#?)[\p{L}\p{N}]+/gu;

/**
 * `html` with the given plain-text ranges wrapped in `<mark class="cited">` (the first one given
 * `firstId`) and the words `word` accepts wrapped in `<mark>`.
 */
export function highlightHtml(html: string, options: { ranges?: readonly Sentence[]; word?: (w: string) => boolean; firstId?: string }): string {
  const { parts } = readParts(html);
  const ranges = options.ranges ?? [];
  const inRange = (at: number) => ranges.some((r) => at >= r.start && at < r.end);
  let firstUsed = false;
  const markWords = (raw: string) => (options.word ? raw.replace(WORD, (w) => (options.word!(w) ? `<mark>${w}</mark>` : w)) : raw);
  return parts
    .map((part) => {
      if (part.kind === "tag") return part.raw;
      // Runs of units inside or outside a cited range.
      let out = "";
      let run = "";
      let runCited: boolean | null = null;
      const flush = () => {
        if (!run) return;
        if (runCited) {
          const id = options.firstId && !firstUsed ? ` id="${options.firstId}"` : "";
          firstUsed ||= id !== "";
          out += `<mark class="cited"${id}>${markWords(run)}</mark>`;
        } else out += markWords(run);
        run = "";
      };
      for (const unit of part.units) {
        const cited = inRange(unit.at);
        if (cited !== runCited) {
          flush();
          runCited = cited;
        }
        run += unit.raw;
      }
      flush();
      return out;
    })
    .join("");
}

/** The plain text of safe HTML, as highlightHtml counts it. */
export function plainOfHtml(html: string): string {
  return readParts(html).plain;
}

/**
 * The sentences of an answer that cite source `n`, without their markers. A marker closing a run of
 * sentences in one paragraph ("A. B [1].") covers the uncited sentences before it in that paragraph.
 */
export function claimsCiting(answer: string, n: number): string[] {
  const marker = new RegExp(`\\[${n}\\]`);
  const claims: string[] = [];
  for (const line of answer.split(/\n+/)) {
    const sentences: string[] = [];
    for (const { text } of sentencesOf(line)) {
      // "… 14 days. [1]": markers standing alone belong to the sentence before them.
      if (/^(\[\d{1,3}\][\s.,;]*)+$/.test(text) && sentences.length > 0) sentences[sentences.length - 1] += ` ${text}`;
      else sentences.push(text);
    }
    let pending: string[] = [];
    for (const sentence of sentences) {
      if (!/\[\d{1,3}\]/.test(sentence)) pending.push(sentence);
      else {
        if (marker.test(sentence)) claims.push(...pending, sentence);
        pending = [];
      }
    }
  }
  return claims.map((s) => s.replace(/\s*\[\d{1,3}\]/g, "").replace(/^\s*[-*•]\s+/, "").replace(/\s+/g, " ").trim());
}
