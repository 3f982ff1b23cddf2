/**
 * An OpenAI-compatible chat server that streams one token the moment a
 * request body has arrived, so a benchmark measures only our own overhead
 * before the first token.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LlmStub {
  baseUrl: string;
  requests: number;
  close(): Promise<void>;
}

export async function startLlmStub(): Promise<LlmStub> {
  const stub: LlmStub = { baseUrl: "", requests: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      stub.requests++;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const chunk = { id: "stub", object: "chat.completion.chunk", model: "stub", choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}

/** POST a streaming chat request and resolve when the first content token arrives. */
export async function firstToken(baseUrl: string, body: unknown): Promise<string> {
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok || !res.body) throw new Error(`stub answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error("stream ended without a token");
      buffered += decoder.decode(value, { stream: true });
      const match = /data: (\{.*\})\n/.exec(buffered);
      if (match) {
        const event = JSON.parse(match[1]!) as { choices: { delta: { content?: string } }[] };
        const token = event.choices[0]?.delta.content;
        if (token) return token;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
