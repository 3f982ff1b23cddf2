import { describe, expect, it } from "vitest";
import { readSseData } from "./sse";

async function* bytesOf(parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
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

  it("reads the body only as far as the caller pulls, and closes it when the caller stops", async () => {
    let pulls = 0;
    let closed = false;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield new TextEncoder().encode(`data: ${++pulls}\n\n`);
      } finally {
        closed = true;
      }
    }
    const events = readSseData(body());
    expect((await events.next()).value).toBe("1");
    expect((await events.next()).value).toBe("2");
    await events.return();
    expect(pulls).toBe(2);
    expect(closed).toBe(true);
  });
});
