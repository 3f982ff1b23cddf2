import { createServer as createHttpServer, type Server } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createOpenAiChatModel, type OpenAiChatConfig } from "./client";
import { LlmError } from "./errors";
import { checkLlmHealth, connectChatModel } from "./health";
import { startLlmServer, type RunningLlmServer } from "../../llm-server";
import { startScriptedServer, type Script, type ScriptedServer } from "../../test/support/llm/scripted-server";
import type { ChatModel, ChatStreamEvent } from "./types";
import { TEST_SERVER_OPTIONS } from "@/test/support/llm/local-server";

const question = [{ role: "user" as const, content: "Once upon a time" }];
const timeouts = { firstTokenTimeoutMs: 20_000, totalTimeoutMs: 40_000 };

let local: RunningLlmServer;
let scripted: ScriptedServer;

beforeAll(async () => {
  [local, scripted] = await Promise.all([
    startLlmServer(TEST_SERVER_OPTIONS),
    startScriptedServer([{ kind: "answer", tokens: ["Once", " there", " was", " a", " fox", "."] }]),
  ]);
});

afterAll(async () => {
  await Promise.all([local?.close(), scripted?.close()]);
});

async function collect(model: ChatModel, options = {}, signal?: AbortSignal): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of model.stream(question, options, signal)) events.push(event);
  return events;
}

const servers = [
  { name: "our local llama server", baseUrl: () => `${local.url}/v1`, model: "stories260k", options: { maxTokens: 6, temperature: 0 } },
  { name: "a scripted OpenAI-compatible server", baseUrl: () => scripted.baseUrl, model: "scripted-model", options: {} },
];

describe.each(servers)("client against $name", (server) => {
  const chatModel = (extra: Partial<OpenAiChatConfig> = {}) =>
    createOpenAiChatModel({ baseUrl: server.baseUrl(), model: server.model, ...timeouts, ...extra });

  it("yields tokens one at a time, then one complete result with model and usage", async () => {
    const events = await collect(chatModel(), server.options);
    const tokens = events.filter((e) => e.type === "token").map((e) => e.text);
    expect(tokens).toHaveLength(6);
    expect(events.slice(0, 6).every((e) => e.type === "token")).toBe(true);
    expect(events).toHaveLength(7);
    const done = events[6];
    if (done?.type !== "done") throw new Error("no result");
    expect(done.result.text).toBe(tokens.join(""));
    expect(done.result.model).toBe(server.model);
    expect(done.result.usage.completionTokens).toBe(6);
    expect(done.result.usage.promptTokens).toBeGreaterThan(0);
    expect(done.result.usage.totalTokens).toBe(done.result.usage.promptTokens + 6);
    expect(done.result.usage.estimated).toBe(false);
  });

  it("complete() returns the same answer as the stream", async () => {
    const events = await collect(chatModel(), server.options);
    const result = await chatModel().complete(question, server.options);
    expect(events.at(-1)).toEqual({ type: "done", result });
  });

  it("says which model is not loaded", async () => {
    const error = await chatModel({ model: "nope" }).complete(question, server.options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).code).toBe("model_not_loaded");
    expect((error as LlmError).message).toContain(`Model "nope" is not loaded on the LLM server at ${server.baseUrl()}`);
  });

  it("reports health with the answering model, and names the fix when the model is missing", async () => {
    expect(await checkLlmHealth({ baseUrl: server.baseUrl(), model: server.model })).toEqual({ ok: true, model: server.model });
    expect(await checkLlmHealth({ baseUrl: server.baseUrl() })).toEqual({ ok: true, model: server.model });
    const missing = await checkLlmHealth({ baseUrl: server.baseUrl(), model: "nope" });
    expect(missing).toEqual({
      ok: false,
      model: "nope",
      message: `Model "nope" is not loaded on the LLM server at ${server.baseUrl()}; it serves: ${server.model}. Check LLM_MODEL.`,
    });
    const connected = await connectChatModel({ baseUrl: server.baseUrl(), ...timeouts });
    expect(connected.id).toBe(server.model);
  });
});

describe("client against our local server", () => {
  const model = () => createOpenAiChatModel({ baseUrl: `${local.url}/v1`, model: "stories260k", ...timeouts });
  const busy = async () => ((await (await fetch(`${local.url}/health`)).json()) as { slots: { busy: number } }).slots.busy;

  it("stopping iteration early closes the connection and frees the server's slot", async () => {
    let seen = 0;
    for await (const event of model().stream(question, { maxTokens: 1500, temperature: 0 })) {
      if (event.type === "token" && ++seen === 3) break;
    }
    await vi.waitFor(async () => expect(await busy()).toBe(0), { timeout: 10_000, interval: 10 });
  });

  it("an abort signal cancels with code 'aborted' and the partial text, never a result", async () => {
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of model().stream(question, { maxTokens: 1500, temperature: 0 }, controller.signal)) {
        events.push(event);
        if (events.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as LlmError).code).toBe("aborted");
    expect((error as LlmError).partialText).toBe(events.map((e) => (e.type === "token" ? e.text : "")).join(""));
    expect(events.every((e) => e.type === "token")).toBe(true);
    await vi.waitFor(async () => expect(await busy()).toBe(0), { timeout: 10_000, interval: 10 });
  });
});

describe("client failure modes (scripted server)", () => {
  const servers: ScriptedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function modelFor(scripts: Script[], extra: Partial<OpenAiChatConfig> = {}) {
    const server = await startScriptedServer(scripts);
    servers.push(server);
    const model = createOpenAiChatModel({ baseUrl: server.baseUrl, model: "scripted-model", ...timeouts, retryDelayMs: 10, ...extra });
    return { server, model };
  }

  async function failure(model: ChatModel): Promise<{ error: LlmError; events: ChatStreamEvent[] }> {
    const events: ChatStreamEvent[] = [];
    try {
      for await (const event of model.stream(question)) events.push(event);
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      return { error, events };
    }
    throw new Error(`expected a failure, got ${JSON.stringify(events)}`);
  }

  it("times out waiting for the first token from a server that stalls", async () => {
    const { model, server } = await modelFor([{ kind: "stall" }], { firstTokenTimeoutMs: 200 });
    const { error, events } = await failure(model);
    expect(error.code).toBe("first_token_timeout");
    expect(error.message).toBe(`No token from the LLM server at ${server.baseUrl} within 200 ms; it may be overloaded or stuck.`);
    expect(events).toEqual([]);
  });

  it("cuts off an answer that outlasts the total timeout, as incomplete", async () => {
    const { model } = await modelFor([{ kind: "stall", tokens: ["A", "B"] }], { firstTokenTimeoutMs: 5_000, totalTimeoutMs: 300 });
    const { error, events } = await failure(model);
    expect(error.code).toBe("total_timeout");
    expect(error.partialText).toBe("AB");
    expect(events.map((e) => e.type)).toEqual(["token", "token"]);
  });

  it("reports a connection dropped mid-stream as an incomplete answer, without retrying", async () => {
    const { model, server } = await modelFor([{ kind: "drop", tokens: ["Half", " an", " answer"] }]);
    const { error, events } = await failure(model);
    expect(error.code).toBe("connection_dropped");
    expect(error.message).toBe(`Connection to the LLM server at ${server.baseUrl} dropped after 3 tokens; the answer is incomplete.`);
    expect(error.partialText).toBe("Half an answer");
    expect(events.some((e) => e.type === "done")).toBe(false);
    await expect(model.complete(question)).rejects.toMatchObject({ code: "connection_dropped" });
    expect(server.requests).toHaveLength(2); // one per call: no retry once tokens have arrived
  });

  it("treats a stream that ends without finish_reason as incomplete", async () => {
    const { model } = await modelFor([{ kind: "end-early", tokens: ["Only", " part"] }]);
    const { error } = await failure(model);
    expect(error.code).toBe("connection_dropped");
    expect(error.partialText).toBe("Only part");
  });

  it("retries a connection that fails before the first token", async () => {
    const { model, server } = await modelFor([{ kind: "reset" }, { kind: "answer", tokens: ["ok"] }]);
    const result = await model.complete(question);
    expect(result.text).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("says the server is unreachable, naming the URL", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const model = createOpenAiChatModel({ baseUrl, model: "m", ...timeouts, connectRetries: 1, retryDelayMs: 10 });
    const { error } = await failure(model);
    expect(error.code).toBe("unreachable");
    expect(error.message).toBe(`LLM server unreachable at ${baseUrl} (ECONNREFUSED). Is it running? Check LLM_BASE_URL.`);
    const health = await checkLlmHealth({ baseUrl });
    expect(health.ok).toBe(false);
    expect(health.message).toContain(`LLM server unreachable at ${baseUrl}`);
  });

  it("surfaces an error event mid-stream, with what arrived before it", async () => {
    const { model } = await modelFor([{ kind: "error-event", tokens: ["Be"], message: "out of memory" }]);
    const { error } = await failure(model);
    expect(error.code).toBe("server_error");
    expect(error.message).toContain("failed mid-answer: out of memory");
    expect(error.partialText).toBe("Be");
  });

  it("maps refusals to codes a caller can act on", async () => {
    const busy = await modelFor([{ kind: "status", status: 429, body: { error: { message: "queue full" } }, headers: { "Retry-After": "3" } }]);
    expect((await failure(busy.model)).error).toMatchObject({ code: "rate_limited", status: 429, retryable: true });
    expect((await failure(busy.model)).error.message).toContain("Retry after 3 s.");
    const denied = await modelFor([{ kind: "status", status: 401, body: { error: "bad key" } }], { apiKey: "secret" });
    expect((await failure(denied.model)).error).toMatchObject({ code: "unauthorized", retryable: false });
    expect(denied.server.authorizations[0]).toBe("Bearer secret");
  });

  it("estimates usage when the server reports none, and says so", async () => {
    const { model, server } = await modelFor([{ kind: "answer", tokens: ["a", "b", "c"], usage: false }]);
    const result = await model.complete(question, { maxTokens: 9, temperature: 0.5, stop: ["\n"], seed: 3 });
    expect(result.usage).toEqual({ promptTokens: 4, completionTokens: 3, totalTokens: 7, estimated: true });
    expect(server.requests[0]).toMatchObject({ model: "scripted-model", stream: true, max_tokens: 9, temperature: 0.5, stop: ["\n"], seed: 3 });
  });
});

describe("client connections", () => {
  const frame = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let server: Server | undefined;

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /**
   * An SSE server that counts TCP connections; each answer is "Hi there" ending with [DONE]. A long
   * SSE comment in the middle makes fetch pause reading the socket, so the end of the body is still
   * unread when the client sees [DONE]. With `holdFirst`, the first answer stops after "Hi" and is
   * never finished, as a long answer would be.
   */
  async function countingServer({ holdFirst = false } = {}) {
    let connections = 0;
    let closed = 0;
    let requests = 0;
    server = createHttpServer((req, res) => {
      req.resume().on("end", () => {
        res.writeHead(200, { "Content-Type": "text/event-stream" });
        res.write(frame({ content: "Hi" }));
        if (holdFirst && requests++ === 0) return;
        res.write(`: ${"x".repeat(100_000)}\n\n`);
        res.end(frame({ content: " there" }) + frame({}, "stop") + "data: [DONE]\n\n");
      });
    });
    server.on("connection", (socket) => {
      connections++;
      socket.on("close", () => closed++);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, connections: () => connections, closed: () => closed };
  }

  it("reuses connections for consecutive calls", async () => {
    const { baseUrl, connections, closed } = await countingServer();
    const model = createOpenAiChatModel({ baseUrl, model: "m", ...timeouts });
    for (let i = 0; i < 6; i++) expect((await model.complete(question)).text).toBe("Hi there");
    // fetch's pool may open a second connection while the first is being released, never one a call.
    expect(connections()).toBeLessThanOrEqual(2);
    expect(closed()).toBe(0);
  });

  it("closes the connection when the caller stops reading early, and the next call opens a new one", async () => {
    const { baseUrl, connections, closed } = await countingServer({ holdFirst: true });
    const model = createOpenAiChatModel({ baseUrl, model: "m", ...timeouts });
    for await (const event of model.stream(question)) {
      expect(event).toEqual({ type: "token", text: "Hi" });
      break;
    }
    await vi.waitFor(() => expect(closed()).toBe(1), { timeout: 5_000, interval: 5 });
    expect((await model.complete(question)).text).toBe("Hi there");
    expect(connections()).toBe(2);
  });
});
