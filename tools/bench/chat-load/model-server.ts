/**
 * A stand-in for a self-hosted OpenAI-compatible model server (vLLM, llama.cpp server) with a
 * fixed capacity: `slots` answers stream at once at `tokenMs` a token; up to `queueMax` more
 * wait; beyond that it answers 429 with Retry-After, as those servers do. Requests that ask
 * for JSON (the review judge) get a routine verdict. Its answers cite the first source.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ModelServerOptions {
  model: string;
  slots: number;
  queueMax: number;
  tokens: number;
  tokenMs: number;
}

export interface ModelServer {
  baseUrl: string;
  stats: { answered: number; refused: number };
  close(): Promise<void>;
}

export async function startModelServer(o: ModelServerOptions): Promise<ModelServer> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const stats = { answered: 0, refused: 0 };
  const take = async () => {
    if (active < o.slots) return void active++;
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const give = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") return void json(res, 200, { object: "list", data: [{ id: o.model, object: "model" }] });
    void body(req).then(async (request) => {
      if (active >= o.slots && waiting.length >= o.queueMax) {
        stats.refused++;
        return json(res, 429, { error: { message: "Server busy: all slots are taken and the queue is full", type: "server_busy" } }, { "Retry-After": "5" });
      }
      await take();
      try {
        await answer(res, request, o);
        stats.answered++;
      } finally {
        give();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    stats,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function answer(res: ServerResponse, request: Record<string, unknown>, o: ModelServerOptions): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  if (request.response_format) {
    await sleep(o.tokenMs * 20);
    const verdict = '{"category": "routine", "commitsCompany": false, "reason": "An ordinary question."}';
    return json(res, 200, { id: "x", object: "chat.completion", model: o.model, choices: [{ index: 0, message: { role: "assistant", content: verdict }, finish_reason: "stop" }], usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 } });
  }
  const prompt = ((request.messages ?? []) as { content: string }[]).map((m) => m.content).join("\n");
  const source = /<source id="1"[^>]*>\n([\s\S]*?)\n<\/source>/.exec(prompt)?.[1] ?? "";
  const sentence = source.split("\n").find((l) => /^[A-Z].*\.$/.test(l.trim()))?.trim().replace(/\.$/, "") ?? "See the handbook";
  const words = `${sentence} [1].`.match(/\S+\s*/g) ?? [];
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  for (let i = 0; i < o.tokens; i++) {
    // The cited sentence first, then as many more tokens of it as the answer's length asks.
    const token = i < words.length ? words[i]! : "";
    if (token) res.write(chunk(o.model, { content: token }));
    await sleep(o.tokenMs);
  }
  res.write(chunk(o.model, {}, "stop", { prompt_tokens: 400, completion_tokens: o.tokens, total_tokens: 400 + o.tokens }));
  res.end("data: [DONE]\n\n");
}

const chunk = (model: string, delta: object, finish: string | null = null, usage?: object) =>
  `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(value));
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const part of req as AsyncIterable<Buffer>) text += part.toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
