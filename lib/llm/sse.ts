/**
 * Reads `data:` payloads of a server-sent event stream, one at a time: the body is only read
 * when the caller asks for the next event, so a slow consumer slows the socket (backpressure).
 */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      ended = done;
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = findEventEnd(buffer);
        if (!end) break;
        const data = dataOf(buffer.slice(0, end.index));
        buffer = buffer.slice(end.index + end.length);
        if (data !== undefined) yield data;
      }
      if (done) {
        const data = dataOf(buffer);
        if (data !== undefined) yield data;
        return;
      }
    }
  } finally {
    // When the caller stops early (at [DONE], break, error, abort) and the rest of the body has
    // already arrived, reading it to its end lets fetch reuse the connection for the next call.
    // Otherwise cancelling closes the connection, which is also how the server learns to stop.
    if (!ended && !(await endsAtOnce(reader))) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** True if the stream's next read reports its end before the event loop moves on to other work. */
async function endsAtOnce(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  const next = reader.read().then(
    (result) => result.done,
    () => false,
  );
  return Promise.race([next, new Promise<false>((resolve) => setImmediate(resolve, false))]);
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
