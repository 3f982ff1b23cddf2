/**
 * Whether an answer contains an expected fact: one of its spans appears in it as whole
 * words, ignoring case, markup and citations.
 */

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/\[\d+\]/g, " ")
    .replace(/[*_`#>]/g, " ")
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, "-")
    .replace(/\s+/g, " ")
    .trim();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function containsFact(answer: string, facts: readonly string[]): boolean {
  const text = normalise(answer);
  return facts.some((f) => new RegExp(`(^|[^a-z0-9])${escape(normalise(f))}($|[^a-z0-9])`).test(text));
}
