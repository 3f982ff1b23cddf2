import { describe, expect, it, vi } from "vitest";
import { eventStream } from "./event-stream";

const options = (aborted = () => false) => ({ toData: (e: unknown) => e, aborted, onError: vi.fn(() => "Something went wrong."), onGone: vi.fn() });
const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

describe("eventStream", () => {
  it("sends one data frame per event, then ends", async () => {
    async function* events() {
      yield { type: "token", text: "Hi" };
      yield { type: "done" };
    }
    const body = await new Response(eventStream(events(), options())).text();
    expect(body).toBe('data: {"type":"token","text":"Hi"}\n\ndata: {"type":"done"}\n\n');
  });

  it("when the client leaves mid-answer, closes the turn quietly: its finally runs, no error is logged", async () => {
    let closed = false;
    async function* events() {
      try {
        yield { type: "token", text: "first" };
        await new Promise(() => {}); // the model is still writing
      } finally {
        closed = true;
      }
    }
    const o = options();
    const reader = eventStream(events(), o).getReader();
    expect(text((await reader.read()).value)).toContain("first");
    await reader.cancel();
    expect(closed).toBe(true);
    expect(o.onGone).toHaveBeenCalled();
    expect(o.onError).not.toHaveBeenCalled();
  });

  it("a turn that fails because the client left is not an error either", async () => {
    async function* events(): AsyncGenerator<unknown> {
      throw new Error("This operation was aborted");
    }
    const o = options(() => true);
    const body = await new Response(eventStream(events(), o)).text().catch(() => "");
    expect(body).toBe("");
    expect(o.onError).not.toHaveBeenCalled();
    expect(o.onGone).toHaveBeenCalled();
  });

  it("sends a failure as a last error frame, with the message meant for the client", async () => {
    async function* events(): AsyncGenerator<unknown> {
      yield { type: "start" };
      throw new Error("database down");
    }
    const o = options();
    const body = await new Response(eventStream(events(), o)).text();
    expect(body).toBe('data: {"type":"start"}\n\ndata: {"type":"error","message":"Something went wrong."}\n\n');
    expect(o.onError).toHaveBeenCalledWith(new Error("database down"));
  });
});
