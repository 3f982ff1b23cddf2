import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_JSON_BYTES, parseJson, route } from "./route";

const handler = route(async (request) => Response.json(await parseJson(request, z.object({ role: z.string() }))));
const call = (headers: Record<string, string>, body = JSON.stringify({ role: "admin" })) =>
  handler(new Request("http://localhost:3000/api/admin/users", { method: "POST", headers: { host: "localhost:3000", ...headers }, body }), { params: Promise.resolve({}) });

describe("route() and parseJson at the edge", () => {
  it("refuses a change sent from a page on another port before reading it (the CSRF of issue 20)", async () => {
    const res = await call({ origin: "http://localhost:4000", "sec-fetch-site": "same-site", "content-type": "text/plain" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "forbidden:origin" });
  });

  it("reads JSON only when it says it is JSON", async () => {
    const plain = await call({ origin: "http://localhost:3000", "content-type": "text/plain" });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({ code: "unsupported_media_type:api", message: "The request body must be JSON, sent as application/json." });
    const json = await call({ origin: "http://localhost:3000", "sec-fetch-site": "same-origin", "content-type": "application/json; charset=utf-8" });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ role: "admin" });
  });

  it("refuses text with a NUL character with 400 and a reason, not a 500 from the database", async () => {
    const res = await call({ "content-type": "application/json" }, JSON.stringify({ role: "ad\u0000min" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: "bad_request:api", message: "Text may not contain the NUL character (\\u0000)." });
  });

  it("refuses a JSON body over 1 MB with 413, whether it says its size or streams it", async () => {
    const big = JSON.stringify({ role: "x".repeat(MAX_JSON_BYTES) });
    const declared = await call({ "content-type": "application/json", "content-length": String(big.length) }, big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ code: "payload_too_large:api", message: "The request body is over the limit of 1024 KB." });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(32));
        controller.close();
      },
    });
    const request = new Request("http://localhost:3000/api/admin/users", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect((await handler(request, { params: Promise.resolve({}) })).status).toBe(413);
  });

  it("answers quietly when the client closed the connection while its body was read", async () => {
    const gone = route(async () => {
      throw Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    });
    const res = await gone(new Request("http://localhost:3000/api/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), { params: Promise.resolve({}) });
    expect(res.status).toBe(499);
  });
});
