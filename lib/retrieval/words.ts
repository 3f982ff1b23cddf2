/** Lower-cased letter/digit runs: the word unit for shingles, query rewriting and the test embedder. */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

const STOPWORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does done for from get got had has have he her his how i if in " +
    "into is it its just may me might more most must my no not of on or our out over please she shall should so some such " +
    "than that the their them then there these they this those to too up us very was we were what when where which while " +
    "who whom whose why will with would yes you your yours also any all each other only own same both few about after " +
    "again against because before below between during further here once under until above down off through"
  ).split(" "),
);

/** Crude suffix stripping so "refunds"/"refunded"/"refunding" and "policies"/"policy" meet. */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith("ed")) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith("es")) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

/**
 * The stemmed words that carry meaning, in order (numbers included: they are
 * the facts most often wrong). Grounding checks and relevance both judge by them.
 */
export function contentWords(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stem);
}

const HYPHENATED = /([\p{L}\p{N}]+)-(?=([\p{L}\p{N}]+))/gu;
const NUMBER_UNIT = /(\d+)\s+(?=(\p{L}{2,3})\b)/gu;

/**
 * The question's and passage's compounds written whole: "Sev-1" → "sev1",
 * "Wi-Fi" → "wifi", "5 GHz" → "5ghz". Added to contentWords where two spellings
 * must meet ("5ghz router" and "cannot join 5 GHz networks"), and so that "Sev-1"
 * is not matched by any "1".
 */
export function compoundWords(text: string): string[] {
  const lower = text.toLowerCase();
  return [...lower.matchAll(HYPHENATED), ...lower.matchAll(NUMBER_UNIT)].map((m) => `${m[1]}${m[2]}`);
}

/** Content words and compounds together: what relevance and quoted answers match a question's words by. */
export function matchWords(text: string): string[] {
  return [...contentWords(text), ...compoundWords(text)];
}
