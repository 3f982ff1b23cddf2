/**
 * What a chunk is embedded as: its heading path, then its text. The heading path often
 * names the topic the passage never repeats. Ingestion and re-embedding must agree.
 */
export function passageText(headingPath: string, text: string): string {
  return [headingPath, text].filter(Boolean).join("\n");
}
