/**
 * Reads JSON Lines: one value per line, blank lines and `//` comments skipped.
 * A line that is not JSON, or that `read` rejects (returns undefined), throws
 * "<source> line N: …" so a person can find and fix it.
 */
export function parseJsonLines<T>(text: string, source: string, read: (json: unknown) => T | undefined, expected: string): T[] {
  return text
    .split("\n")
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== "" && !line.startsWith("//"))
    .map(([line, n]) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`${source} line ${n}: not valid JSON`);
      }
      const value = read(json);
      if (value === undefined) throw new Error(`${source} line ${n}: expected ${expected}`);
      return value;
    });
}
