/**
 * Policy keywords: plain words or phrases (whole words, any case, any run of
 * spaces), `*` for any word ending, or `/regex/` for anything else.
 */

const cache = new Map<string, RegExp>();

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isRegexKeyword(keyword: string): boolean {
  return keyword.length > 2 && keyword.startsWith("/") && keyword.endsWith("/");
}

function build(keyword: string): RegExp {
  if (isRegexKeyword(keyword)) return new RegExp(keyword.slice(1, -1), "iu");
  const body = keyword
    .trim()
    .split(/\s+/)
    .map((word) => word.split("*").map(escape).join("[\\p{L}\\p{N}'’-]*"))
    .join("[\\s-]+");
  // Letters and digits on either side mean we are inside a longer word.
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "iu");
}

/** The compiled pattern of one keyword (cached: policies reuse the same few hundred). */
export function keywordPattern(keyword: string): RegExp {
  let re = cache.get(keyword);
  if (!re) {
    re = build(keyword);
    if (cache.size > 5_000) cache.clear();
    cache.set(keyword, re);
  }
  return re;
}

/** Why a keyword cannot be used, or null when it is fine (for the policy schema). */
export function keywordProblem(keyword: string): string | null {
  if (!isRegexKeyword(keyword)) {
    return /[\p{L}\p{N}]/u.test(keyword) ? null : `keyword "${keyword}" has no letters or digits`;
  }
  try {
    const re = new RegExp(keyword.slice(1, -1), "iu");
    if (re.test("")) return `pattern ${keyword} matches empty text, so it would match every question`;
    return null;
  } catch (error) {
    return `pattern ${keyword} is not a valid regular expression: ${(error as Error).message}`;
  }
}

/** A keyword found in a text, with the words it matched. */
export interface KeywordHit {
  keyword: string;
  matched: string;
}

/** The keywords that occur in `text`, in the order given. */
export function findKeywords(text: string, keywords: readonly string[]): KeywordHit[] {
  const hits: KeywordHit[] = [];
  for (const keyword of keywords) {
    const m = keywordPattern(keyword).exec(text);
    if (m) hits.push({ keyword, matched: m[0] });
  }
  return hits;
}
