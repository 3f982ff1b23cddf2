/** Citation markers in an answer: which sources it cites, and which markers point nowhere. */

const MARKER = /\[(\d{1,3})\]/g;

export interface CitationCheck {
  /** The answer with markers to missing sources removed. */
  text: string;
  /** Source numbers cited, in order of first use. */
  cited: number[];
  /** Markers that pointed to no source (removed from `text`). */
  broken: number[];
}

export function checkCitations(answer: string, sourceCount: number): CitationCheck {
  const cited: number[] = [];
  const broken: number[] = [];
  const text = answer.replace(MARKER, (marker, digits: string) => {
    const n = Number(digits);
    if (n >= 1 && n <= sourceCount) {
      if (!cited.includes(n)) cited.push(n);
      return marker;
    }
    if (!broken.includes(n)) broken.push(n);
    return "";
  });
  return { text: broken.length ? text.replace(/ {2,}/g, " ").replace(/ ([.,;:!?])/g, "$1") : text, cited, broken };
}
