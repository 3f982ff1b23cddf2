import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GenerationEngine, GenerationOutcome } from "./engine";
import { QueueFullError, type SlotPool } from "./slot-pool";
import {
  chatCompletionRequestSchema,
  chunkBody,
  completionBody,
  contentFrame,
  describeIssues,
  errorBody,
  toChatMessages,
  usageFields,
  type CompletionIdentity,
} from "./schema";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface LlmHandlerDeps {
  engine: GenerationEngine;
  pool: SlotPool;
  /** Answer length when a request sets no max_tokens. */
  defaultMaxTokens: number;
  log?: (line: string) => void;
}

/** Counters shown on GET /health. */
export interface ServerStats {
  completed: number;
  aborted: number;
  failed: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "invalid_request_error",
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** The node:http request listener for our OpenAI-compatible endpoints. */
export function createLlmRequestHandler(deps: LlmHandlerDeps): { handle: (req: IncomingMessage, res: ServerResponse) => void; stats: ServerStats } {
  const stats: ServerStats = { completed: 0, aborted: 0, failed: 0 };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, deps, stats).catch((error: unknown) => {
      const http = error instanceof HttpError ? error : new HttpError(500, "Internal error in the model server.", "server_error");
      if (!(error instanceof HttpError)) deps.log?.(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (res.headersSent) res.destroy();
      else sendJson(res, http.status, errorBody(http.message, http.type, http.code));
    });
  };
  return { handle, stats };
}

async function route(req: IncomingMessage, res: ServerResponse, deps: LlmHandlerDeps, stats: ServerStats): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "");
  if (path === "/health" && req.method === "GET") {
    const { engine, pool } = deps;
    return sendJson(res, 200, {
      status: "ok",
      model: engine.modelId,
      contextSize: engine.contextSize,
      adapters: (engine.adapters ?? []).map(({ id, scale }) => ({ id, scale })),
      slots: { total: pool.size, busy: pool.busy },
      queue: { length: pool.queued, max: pool.queueMax },
      stats,
    });
  }
  if (path === "/v1/models" && req.method === "GET") {
    return sendJson(res, 200, { object: "list", data: [{ id: deps.engine.modelId, object: "model", created: 0, owned_by: "vouch" }] });
  }
  if (path === "/v1/chat/completions") {
    if (req.method !== "POST") throw new HttpError(405, "Use POST for /v1/chat/completions.");
    return chatCompletion(req, res, deps, stats);
  }
  throw new HttpError(404, `No route ${req.method} ${path}. Try GET /health, GET /v1/models or POST /v1/chat/completions.`, "not_found");
}

async function chatCompletion(req: IncomingMessage, res: ServerResponse, deps: LlmHandlerDeps, stats: ServerStats): Promise<void> {
  const { engine, pool } = deps;
  const started = performance.now();
  const parsed = chatCompletionRequestSchema.safeParse(await readJson(req));
  if (!parsed.success) throw new HttpError(400, `Invalid request: ${describeIssues(parsed.error)}`);
  const body = parsed.data;
  if (body.model !== undefined && body.model !== engine.modelId) {
    throw new HttpError(404, `The model '${body.model}' is not loaded; this server serves '${engine.modelId}'.`, "invalid_request_error", "model_not_found");
  }
  const messages = toChatMessages(body);
  const promptTokens = engine.countPromptTokens(messages);
  if (promptTokens >= engine.contextSize) {
    throw new HttpError(400, `The prompt has ${promptTokens} tokens but the context holds ${engine.contextSize}; shorten it.`, "invalid_request_error", "context_length_exceeded");
  }
  const request = {
    messages,
    maxTokens: Math.min(body.max_completion_tokens ?? body.max_tokens ?? deps.defaultMaxTokens, engine.contextSize - promptTokens),
    temperature: body.temperature ?? 1,
    topP: body.top_p,
    stop: body.stop,
    seed: body.seed,
    jsonSchema: body.response_format?.type === "json_schema" ? body.response_format.json_schema.schema : undefined,
  };

  // The client going away aborts the wait in line or the generation, which frees the slot.
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort(new Error("client disconnected"));
  });

  let reservation;
  try {
    reservation = pool.reserve(abort.signal);
  } catch (error) {
    if (!(error instanceof QueueFullError)) throw error;
    res.setHeader("Retry-After", String(error.retryAfterSeconds));
    throw new HttpError(429, error.message, "rate_limit_exceeded", "queue_full");
  }
  res.setHeader("X-Queue-Position", String(reservation.position));
  const who: CompletionIdentity = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: engine.modelId };
  if (body.stream) {
    // Sent before waiting in line, so a queued client learns at once that it was accepted, and where.
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive" });
    send(res, sseFrame(chunkBody(who, { role: "assistant", content: "" })));
  }

  const lease = await reservation.lease.catch(() => undefined);
  if (!lease) return; // the client left while waiting in line
  let outcome: GenerationOutcome;
  try {
    const frame = contentFrame(who);
    // Each token is written as it comes. The engine cannot wait for a slow reader, so a stalled
    // client's socket buffers the answer, which max_tokens bounds.
    const onText = body.stream ? (text: string) => send(res, frame(text)) : () => {};
    outcome = await engine.generate(lease.slot, request, onText, abort.signal);
  } catch (error) {
    if (abort.signal.aborted) {
      stats.aborted++;
      deps.log?.(`chat ${who.id} aborted by the client after ${Math.round(performance.now() - started)} ms`);
      return;
    }
    stats.failed++;
    const message = `Generation failed: ${error instanceof Error ? error.message : String(error)}`;
    if (!body.stream) throw new HttpError(500, message, "server_error");
    // The 200 is committed; an error event with no [DONE] tells the client the answer is incomplete.
    finish(res, sseFrame(errorBody(message, "server_error")));
    return;
  } finally {
    lease.release();
  }

  stats.completed++;
  const usage = usageFields(promptTokens, outcome.completionTokens);
  if (body.stream) {
    finish(res, sseFrame(chunkBody(who, {}, outcome.finishReason, usage)) + "data: [DONE]\n\n");
  } else {
    sendJson(res, 200, completionBody(who, outcome.text, outcome.finishReason, usage));
  }
  deps.log?.(
    `chat ${who.id} ${body.stream ? "stream" : "json"} queue=${reservation.position} prompt=${usage.prompt_tokens} ` +
      `completion=${usage.completion_tokens} finish=${outcome.finishReason} ${Math.round(performance.now() - started)} ms`,
  );
}

function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** Writes to a stream the client may have left; what is meant for a closed socket is dropped. */
function send(res: ServerResponse, text: string): void {
  if (!res.destroyed) res.write(text);
}

function finish(res: ServerResponse, text: string): void {
  if (!res.destroyed) res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "Request body is not valid JSON.");
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
