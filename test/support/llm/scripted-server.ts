import { createHash } from "node:crypto";
/**
 * A tiny OpenAI-compatible server for tests, scripted per request to do what a real
 * server cannot be made to do on cue: stall, drop the connection, refuse, omit usage.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contentWords } from "../../../lib/retrieval/words";
import { createHashingEmbedder } from "../hashing-embedder";

export type Script =
  | { kind: "answer"; tokens: string[]; usage?: boolean; delayMs?: number; model?: string }
  /** Sends headers and `tokens`, then never another byte. */
  | { kind: "stall"; tokens?: string[] }
  /** Sends `tokens`, then destroys the socket (no finish_reason, no [DONE]). */
  | { kind: "drop"; tokens: string[] }
  /** Sends `tokens`, then ends the response cleanly but without finish_reason or [DONE]. */
  | { kind: "end-early"; tokens: string[] }
  /** Destroys the socket before any response. */
  | { kind: "reset" }
  | { kind: "error-event"; tokens: string[]; message: string }
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> };

export interface ScriptedServer {
  /** OpenAI base URL, ending in /v1. */
  baseUrl: string;
  /** Bodies of the chat (and embeddings) requests received, in order. */
  requests: Record<string, unknown>[];
  /** Authorization header of each chat request. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * Serves `scripts` in turn (the last one repeats), or the script a function
 * picks for each request body; GET /v1/models lists `models`; POST /v1/embeddings
 * answers as an embeddings server would, with bag-of-words vectors (256 dimensions),
 * or with `vectors: "noise"` one unrelated vector per text.
 */
export async function startScriptedServer(
  scripts: Script[] | ((body: Record<string, unknown>) => Script),
  models = ["scripted-model"],
  { port = 0, vectors = "words" }: { port?: number; vectors?: "words" | "noise" } = {},
): Promise<ScriptedServer> {
  const requests: Record<string, unknown>[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: models.map((id) => ({ id, object: "model" })) }));
      return;
    }
    if (req.method === "POST" && req.url === "/v1/embeddings") return void readBody(req).then((body) => (requests.push(body), embeddings(body, res, vectors)));
    void readBody(req).then((body) => {
      requests.push(body);
      authorizations.push(req.headers.authorization);
      if (typeof body.model === "string" && !models.includes(body.model)) {
        // vLLM's wording for a model it does not serve.
        return play({ kind: "status", status: 404, body: { error: { message: `The model \`${body.model}\` does not exist.`, code: "model_not_found" } } }, res, body);
      }
      const script = typeof scripts === "function" ? scripts(body) : scripts[Math.min(requests.length - 1, scripts.length - 1)]!;
      return play(script, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    requests,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const embedder = createHashingEmbedder({ dimensions: 256 });

/** `noise`: a vector no text shares with another, as a broken or unsuitable model gives (gates must refuse it). */
async function embeddings(body: Record<string, unknown>, res: ServerResponse, kind: "words" | "noise"): Promise<void> {
  const input = (Array.isArray(body.input) ? body.input : [body.input]).map(String);
  // Content words only, as a trained encoder all but ignores "the" and "what".
  const texts = input.map((text) => (kind === "noise" ? `noise${createHash("sha256").update(text).digest("hex").slice(0, 12)}` : contentWords(text).join(" ")));
  const vectors = await embedder.embed(texts, { kind: "passage" });
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ object: "list", model: body.model, data: vectors.map((v, index) => ({ object: "embedding", index, embedding: Array.from(v) })) }));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString();
  return JSON.parse(text) as Record<string, unknown>;
}

const chunk = (model: string, delta: object, finish: string | null = null, usage?: object) =>
  `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;

async function play(script: Script, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
  const model = typeof body.model === "string" ? body.model : "scripted-model";
  if (script.kind === "reset") return void res.socket?.destroy();
  if (script.kind === "status") {
    res.writeHead(script.status, { "Content-Type": "application/json", ...script.headers });
    return void res.end(JSON.stringify(script.body));
  }
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  res.flushHeaders();
  const tokens = "tokens" in script ? (script.tokens ?? []) : [];
  for (const token of tokens) {
    res.write(chunk(script.kind === "answer" ? (script.model ?? model) : model, { content: token }));
    if (script.kind === "answer" && script.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
  }
  switch (script.kind) {
    case "answer": {
      const usage = script.usage === false ? undefined : { prompt_tokens: 11, completion_tokens: tokens.length, total_tokens: 11 + tokens.length };
      res.write(chunk(script.model ?? model, {}, "stop", usage));
      return void res.end("data: [DONE]\n\n");
    }
    case "stall":
      return;
    case "drop":
      // Let the tokens reach the client before the reset.
      await new Promise((r) => setTimeout(r, 30));
      return void res.socket?.destroy();
    case "end-early":
      return void res.end();
    case "error-event":
      res.write(`data: ${JSON.stringify({ error: { message: script.message, type: "server_error" } })}\n\n`);
      return void res.end();
  }
}
