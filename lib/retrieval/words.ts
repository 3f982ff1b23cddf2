/** Lower-cased letter/digit runs: the word unit for shingles, query rewriting and the test embedder. */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
