import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readSseData } from "@/lib/llm/sse";
import { startLlmServer, type RunningLlmServer } from "./index";
import { TEST_SERVER_OPTIONS } from "@/test/support/llm/local-server";

const prompt = [{ role: "user", content: "Once upon a time" }];

let server: RunningLlmServer;

beforeAll(async () => {
  server = await startLlmServer(TEST_SERVER_OPTIONS);
});

afterAll(async () => {
  await server?.close();
});

function post(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ messages: prompt, ...body }),
    signal,
  });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

interface Completion {
  choices: { message: { content: string }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  model: string;
}

async function complete(body: Record<string, unknown>): Promise<Completion> {
  const response = await post(body);
  expect(response.status).toBe(200);
  return json<Completion>(response);
}

interface Health {
  slots: { busy: number };
  queue: { length: number };
  stats: { completed: number; aborted: number };
}

async function health(): Promise<Health> {
  return (await (await fetch(`${server.url}/health`)).json()) as Health;
}

/** Starts a long streaming answer and resolves once its first token is out, so the slot is surely taken. */
async function holdSlot(controller: AbortController): Promise<{ done: Promise<void> }> {
  const response = await post({ stream: true, max_tokens: 1500, temperature: 0 }, controller.signal);
  const events = readSseData(response.body!);
  await events.next(); // role chunk
  await events.next(); // first token
  const done = (async () => {
    for await (const data of events) void data;
  })().catch(() => {});
  return { done };
}

describe("local LLM server (stories260K)", () => {
  it("lists its model and reports health", async () => {
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["stories260k"]);
    const h = await health();
    expect(h.slots.busy).toBe(0);
    expect(h.queue.length).toBe(0);
  });

  it("streams tokens one by one over SSE, then finish_reason with usage, then [DONE]", async () => {
    const response = await post({ stream: true, max_tokens: 12, temperature: 0 });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events: string[] = [];
    for await (const data of readSseData(response.body!)) events.push(data);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: Completion["usage"] });
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    const tokens = chunks.slice(1, -1).map((c) => c.choices[0]!.delta.content);
    expect(tokens).toHaveLength(12);
    expect(tokens.every((t) => typeof t === "string" && t.length > 0)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices[0]!.finish_reason).toBe("length");
    expect(last.usage?.completion_tokens).toBe(12);

    const whole = await complete({ max_tokens: 12, temperature: 0 });
    expect(tokens.join("")).toBe(whole.choices[0]!.message.content);
    expect(whole.usage).toEqual(last.usage);
  });

  it("holds max_tokens and reports usage", async () => {
    const answer = await complete({ max_tokens: 7, temperature: 0 });
    expect(answer.choices[0]!.finish_reason).toBe("length");
    expect(answer.usage.completion_tokens).toBe(7);
    expect(answer.usage.prompt_tokens).toBeGreaterThan(3);
    expect(answer.usage.total_tokens).toBe(answer.usage.prompt_tokens + 7);
    expect(answer.model).toBe("stories260k");
  });

  it("answers JSON that matches a response_format json_schema, even from a story model", async () => {
    const schema = {
      type: "object",
      properties: { category: { type: "string", enum: ["routine", "legal"] }, commits: { type: "boolean" } },
      required: ["category", "commits"],
      additionalProperties: false,
    };
    const body = await complete({ max_tokens: 60, temperature: 0, response_format: { type: "json_schema", json_schema: { name: "verdict", schema } } });
    const answer = JSON.parse(body.choices[0]!.message.content) as { category: string; commits: unknown };
    expect(["routine", "legal"]).toContain(answer.category);
    expect(typeof answer.commits).toBe("boolean");
    expect(Object.keys(answer).sort()).toEqual(["category", "commits"]);
  });

  it("stops before a stop sequence and leaves it out", async () => {
    const full = (await complete({ max_tokens: 40, temperature: 0 })).choices[0]!.message.content;
    const words = full.split(" ");
    const stop = ` ${words[3]}`;
    const expected = full.slice(0, full.indexOf(stop));
    expect(expected.length).toBeGreaterThan(0);
    for (const value of [stop, ["zzzz-never", stop]]) {
      const answer = await complete({ max_tokens: 40, temperature: 0, stop: value });
      expect(answer.choices[0]!.message.content).toBe(expected);
      expect(answer.choices[0]!.finish_reason).toBe("stop");
    }
  });

  it("repeats itself with temperature 0, and with the same seed when sampling", async () => {
    const a = await complete({ max_tokens: 30, temperature: 0, seed: 1 });
    const b = await complete({ max_tokens: 30, temperature: 0, seed: 2 });
    expect(a.choices[0]!.message.content).toBe(b.choices[0]!.message.content);
    const c = await complete({ max_tokens: 30, temperature: 1, seed: 42 });
    const d = await complete({ max_tokens: 30, temperature: 1, seed: 42 });
    const e = await complete({ max_tokens: 30, temperature: 1, seed: 43 });
    expect(c.choices[0]!.message.content).toBe(d.choices[0]!.message.content);
    expect(e.choices[0]!.message.content).not.toBe(c.choices[0]!.message.content);
  });

  it("rejects bad bodies with 400 and a message, and unknown models with 404", async () => {
    const bad = await post({ messages: [], max_tokens: 0, stop: 5 });
    expect(bad.status).toBe(400);
    const { error } = await json<{ error: { message: string } }>(bad);
    expect(error.message).toMatch(/^Invalid request: /);
    expect(error.message).toContain("messages");
    expect(error.message).toContain("max_tokens");
    expect(error.message).toContain("stop");

    const notJson = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);

    const wrongModel = await post({ model: "gpt-4" });
    expect(wrongModel.status).toBe(404);
    expect((await json<{ error: { code: string } }>(wrongModel)).error.code).toBe("model_not_found");
  });

  it("aborting mid-stream stops generation and frees the slot for the next request at once", async () => {
    const before = await health();
    const controller = new AbortController();
    const held = await holdSlot(controller);
    expect((await health()).slots.busy).toBe(1);
    controller.abort();
    await held.done;
    await vi.waitFor(async () => expect((await health()).slots.busy).toBe(0), { timeout: 10_000, interval: 10 });
    const after = await health();
    expect(after.stats.aborted).toBe(before.stats.aborted + 1);
    expect(after.stats.completed).toBe(before.stats.completed);

    const next = await post({ max_tokens: 3, temperature: 0 });
    expect(next.headers.get("x-queue-position")).toBe("0");
    expect((await json<Completion>(next)).usage.completion_tokens).toBe(3);
  });

  it("queues five concurrent requests and completes them all in order", async () => {
    const controller = new AbortController();
    const finished: string[] = [];
    const first = await holdSlot(controller);
    const firstDone = first.done.then(() => finished.push("A"));
    const queued: Promise<unknown>[] = [];
    for (const [i, name] of ["B", "C", "D", "E"].entries()) {
      queued.push(
        post({ max_tokens: 4, temperature: 0 }).then(async (response) => {
          expect(response.headers.get("x-queue-position")).toBe(String(i + 1));
          expect((await json<Completion>(response)).usage.completion_tokens).toBe(4);
          finished.push(name);
        }),
      );
      await vi.waitFor(async () => expect((await health()).queue.length).toBe(i + 1), { timeout: 10_000, interval: 5 });
    }
    await Promise.all([firstDone, ...queued]);
    expect(finished).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("answers 429 with Retry-After when the queue is full", async () => {
    const controller = new AbortController();
    const held = await holdSlot(controller);
    const queued = [1, 2, 3, 4].map(() => post({ max_tokens: 2, temperature: 0 }));
    await vi.waitFor(async () => expect((await health()).queue.length).toBe(4), { timeout: 10_000, interval: 5 });

    const refused = await post({ max_tokens: 2 });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("queue_full");

    controller.abort();
    await held.done;
    const statuses = await Promise.all(queued.map(async (r) => {
      const response = await r;
      await response.text();
      return response.status;
    }));
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
