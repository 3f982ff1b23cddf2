/**
 * Reads `data:` payloads of a server-sent event stream, one at a time: the body is only read
 * when the caller asks for the next event, so a slow consumer slows the socket (backpressure).
 */
export async function* readSseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let buffer = "";
  // Leaving this loop early (break, error) returns the body's iterator, which closes the connection.
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    for (;;) {
      const end = findEventEnd(buffer);
      if (!end) break;
      const data = dataOf(buffer.slice(0, end.index));
      buffer = buffer.slice(end.index + end.length);
      if (data !== undefined) yield data;
    }
  }
  const data = dataOf(buffer + decoder.decode());
  if (data !== undefined) yield data;
}

function findEventEnd(buffer: string): { index: number; length: number } | undefined {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
  return match ? { index: match.index, length: match[0].length } : undefined;
}

/** The joined data lines of one event, or undefined for comments and events without data. */
function dataOf(event: string): string | undefined {
  const lines = event.split(/\r\n|\n|\r/).filter((l) => l.startsWith("data:"));
  if (lines.length === 0) return undefined;
  return lines.map((l) => l.slice(l.startsWith("data: ") ? 6 : 5)).join("\n");
}
