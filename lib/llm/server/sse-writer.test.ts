import type { ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SseWriter } from "./sse-writer";

/** A response that records each socket write; `end` is recorded with an "END:" prefix. */
function recordingResponse() {
  const writes: string[] = [];
  const res = {
    destroyed: false,
    write: (data: string) => writes.push(data),
    end: (data?: string) => writes.push(`END:${data ?? ""}`),
  };
  return { res: res as unknown as ServerResponse, writes };
}

const frame = (text: string) => `data: ${text}\n\n`;
/** Lets the event loop turn a few times, so the writer's setImmediate hops run (immediates stay real). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("SseWriter", () => {
  it("with no interval, writes each token in its own write once the event loop turns", async () => {
    const { res, writes } = recordingResponse();
    const sse = new SseWriter(res, 0);
    sse.queue({ role: "assistant" });
    sse.send(frame("a"));
    expect(writes).toEqual([]);
    await settle();
    sse.send(frame("b"));
    await settle();
    expect(writes).toEqual(['data: {"role":"assistant"}\n\ndata: a\n\n', "data: b\n\n"]);
  });

  it("groups tokens made within the interval; the first token after it carries them out", async () => {
    const { res, writes } = recordingResponse();
    const sse = new SseWriter(res, 8);
    sse.send(frame("1")); // first after a quiet spell: at once
    await settle();
    for (const token of ["2", "3", "4"]) {
      vi.advanceTimersByTime(2); // t = 2, 4, 6: inside the interval, held
      sse.send(frame(token));
    }
    expect(writes).toEqual(["data: 1\n\n"]);
    vi.advanceTimersByTime(2); // t = 8: the interval has passed
    sse.send(frame("5"));
    await settle();
    expect(writes).toEqual(["data: 1\n\n", "data: 2\n\ndata: 3\n\ndata: 4\n\ndata: 5\n\n"]);
  });

  it("writes a held token within the interval when no further token comes", async () => {
    const { res, writes } = recordingResponse();
    const sse = new SseWriter(res, 8);
    sse.send(frame("1"));
    await settle();
    vi.advanceTimersByTime(3);
    sse.send(frame("2")); // held at t = 3
    vi.advanceTimersByTime(7);
    expect(writes).toEqual(["data: 1\n\n"]);
    vi.advanceTimersByTime(1); // t = 11: 8 ms after it was held
    expect(writes).toEqual(["data: 1\n\n", "data: 2\n\n"]);
  });

  it("ends with what is held, the last event and the terminator in one write, leaving no timer behind", async () => {
    const { res, writes } = recordingResponse();
    const sse = new SseWriter(res, 8);
    sse.send(frame("1"));
    await settle();
    vi.advanceTimersByTime(1);
    sse.send(frame("2"));
    sse.end({ done: true }, "data: [DONE]\n\n");
    expect(writes).toEqual(["data: 1\n\n", 'END:data: 2\n\ndata: {"done":true}\n\ndata: [DONE]\n\n']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not write to a response the client has closed", async () => {
    const { res, writes } = recordingResponse();
    const sse = new SseWriter(res, 0);
    sse.send(frame("1"));
    (res as { destroyed: boolean }).destroyed = true;
    await settle();
    sse.end({ done: true });
    expect(writes).toEqual([]);
  });
});
