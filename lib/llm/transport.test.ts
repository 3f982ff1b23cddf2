import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiChatModel } from "./client";

const question = [{ role: "user" as const, content: "Hello" }];
const frame = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

let server: Server | undefined;

/** An SSE server that counts TCP connections; each answer is "Hi there" ending with [DONE]. */
async function countingServer(): Promise<{ baseUrl: string; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    req.resume().on("end", () => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write(frame({ content: "Hi" }));
      res.end(frame({ content: " there" }) + frame({}, "stop") + "data: [DONE]\n\n");
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, connections: () => connections };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe("connections", () => {
  it("reuses one connection for consecutive calls of one model", async () => {
    const { baseUrl, connections } = await countingServer();
    const model = createOpenAiChatModel({ baseUrl, model: "m", firstTokenTimeoutMs: 5000, totalTimeoutMs: 5000 });
    for (let i = 0; i < 3; i++) expect((await model.complete(question)).text).toBe("Hi there");
    expect(connections()).toBe(1);
  });

  it("closes the connection when the caller stops reading early, and the next call opens a new one", async () => {
    const { baseUrl, connections } = await countingServer();
    const model = createOpenAiChatModel({ baseUrl, model: "m", firstTokenTimeoutMs: 5000, totalTimeoutMs: 5000 });
    for await (const event of model.stream(question)) {
      expect(event).toEqual({ type: "token", text: "Hi" });
      break;
    }
    expect((await model.complete(question)).text).toBe("Hi there");
    expect(connections()).toBe(2);
  });
});
