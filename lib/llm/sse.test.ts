import { describe, expect, it } from "vitest";
import { readSseData } from "./sse";

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(parts: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(streamOf(parts))) out.push(data);
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
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8));
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    });
    const out: string[] = [];
    for await (const data of readSseData(stream)) out.push(data);
    expect(out).toEqual(["héllo"]);
  });

  it("reads the body only as far as the caller pulls", async () => {
    let pulls = 0;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(encoder.encode(`data: ${pulls}\n\n`));
        },
      },
      { highWaterMark: 0 },
    );
    const events = readSseData(stream);
    expect((await events.next()).value).toBe("1");
    expect((await events.next()).value).toBe("2");
    await events.return();
    expect(pulls).toBe(2);
  });
});
