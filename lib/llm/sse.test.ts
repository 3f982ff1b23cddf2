import { describe, expect, it } from "vitest";
import { readSseData } from "./sse";

function bytesOf(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const chunks = parts.map((part) => (typeof part === "string" ? new TextEncoder().encode(part) : part));
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

async function collect(parts: (string | Uint8Array)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(bytesOf(parts))) out.push(data);
  return out;
}

describe("readSseData", () => {
  it("yields each event's data, whatever the network chunking", async () => {
    expect(await collect(['data: {"a":1}\n\ndata: {"b"', ":2}\n", "\ndata: [DONE]\n\n"])).toEqual(['{"a":1}', '{"b":2}', "[DONE]"]);
  });

  it("handles CRLF, comments, multi-line data and a last event without a blank line", async () => {
    expect(await collect([": keep-alive\r\n\r\ndata: one\r\ndata: two\r\n\r\nevent: x\ndata:tail"])).toEqual(["one\ntwo", "tail"]);
  });

  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo\n\n");
    expect(await collect([bytes.slice(0, 8), bytes.slice(8)])).toEqual(["héllo"]);
  });

  it("reads the body only as far as the caller pulls, and cancels it when the caller stops mid-stream", async () => {
    let pulls = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => controller.enqueue(new TextEncoder().encode(`data: ${++pulls}\n\n`)),
        cancel: () => {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const events = readSseData(body);
    expect((await events.next()).value).toBe("1");
    expect((await events.next()).value).toBe("2");
    expect(pulls).toBe(2);
    await events.return();
    expect(cancelled).toBe(true);
  });

  it("reads a body whose end has already arrived to its end instead of cancelling it", async () => {
    let cancelled = false;
    let sent = false;
    // Like fetch's body: the end is only reported when the reader asks for more.
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (sent) return controller.close();
          controller.enqueue(new TextEncoder().encode("data: last\n\n"));
          sent = true;
        },
        cancel: () => {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    for await (const data of readSseData(body)) if (data === "last") break;
    expect(cancelled).toBe(false);
  });
});
