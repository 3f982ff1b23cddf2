import { z } from "zod";
import { LlmError } from "./errors";
import { fromErrorResponse, messageOf, unreachable } from "./failures";
import { readSseData } from "./sse";
import type { ChatMessage, ChatModel, ChatOptions, ChatStreamEvent, FinishReason, TokenUsage } from "./types";

/** Where and how to reach an OpenAI-compatible server. */
export interface OpenAiChatConfig {
  /** Base URL including the API prefix, as OpenAI SDKs take it: http://127.0.0.1:8081/v1, http://localhost:11434/v1. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** From sending the request to the first token, including time spent waiting in the server's queue. */
  firstTokenTimeoutMs: number;
  /** For the whole answer. */
  totalTimeoutMs: number;
  /** Extra attempts when the connection fails before the first token (default 2). */
  connectRetries?: number;
  /** First pause between attempts, doubled each time (default 250 ms). */
  retryDelayMs?: number;
}

const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish(), finish_reason: z.string().nullish() }))
    .nullish(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
  error: z.unknown().optional(),
});

/** A ChatModel over any OpenAI-compatible /chat/completions endpoint (our local server, vLLM, llama.cpp, Ollama). */
export function createOpenAiChatModel(config: OpenAiChatConfig): ChatModel {
  const model: ChatModel = {
    id: config.model,
    stream: (messages, options, signal) => streamChat(config, messages, options ?? {}, signal),
    complete: async (messages, options, signal) => {
      for await (const event of model.stream(messages, options, signal)) if (event.type === "done") return event.result;
      throw new LlmError("bad_response", "The answer stream ended without a result.");
    },
  };
  return model;
}

async function* streamChat(
  config: OpenAiChatConfig,
  messages: ChatMessage[],
  options: ChatOptions,
  signal: AbortSignal | undefined,
): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const retries = config.connectRetries ?? 2;
  const timers = new CallTimers(config, baseUrl);
  const callSignal = signal ? AbortSignal.any([signal, timers.signal]) : timers.signal;
  const body = JSON.stringify({
    model: config.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: options.maxTokens,
    temperature: options.temperature,
    top_p: options.topP,
    stop: options.stop,
    seed: options.seed,
    response_format: options.jsonSchema ? { type: "json_schema", json_schema: { ...options.jsonSchema, strict: true } } : undefined,
  });
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "text/event-stream" };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;

  let text = "";
  let tokens = 0;
  try {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/chat/completions`, { method: "POST", headers, body, signal: callSignal });
      } catch (error) {
        if (callSignal.aborted || attempt >= retries) throw error;
        await sleep((config.retryDelayMs ?? 250) * 2 ** attempt, callSignal);
        continue;
      }
      if (!response.ok) throw await fromErrorResponse(response, baseUrl, config.model);
      if (!response.body) throw new LlmError("bad_response", `The LLM server at ${baseUrl} answered ${response.status} with no stream.`);

      let finishReason: FinishReason | undefined;
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
      let answeredBy = config.model;
      try {
        for await (const data of readSseData(response.body)) {
          // The answer is whole at [DONE]; a server that then keeps the body open must not hold it up.
          if (data === "[DONE]") break;
          const chunk = parseChunk(data, baseUrl, text);
          answeredBy = chunk.model ?? answeredBy;
          usage = chunk.usage ?? usage;
          for (const choice of chunk.choices ?? []) {
            const content = choice.delta?.content;
            if (content) {
              timers.firstTokenArrived();
              text += content;
              tokens++;
              yield { type: "token", text: content };
            }
            if (choice.finish_reason) finishReason = choice.finish_reason === "length" ? "length" : "stop";
          }
        }
      } catch (error) {
        // Nothing reached the caller yet, so trying again cannot duplicate or mix answers.
        if (error instanceof LlmError || callSignal.aborted || tokens > 0 || attempt >= retries) throw error;
        await sleep((config.retryDelayMs ?? 250) * 2 ** attempt, callSignal);
        continue;
      }
      if (!finishReason) {
        if (tokens === 0 && attempt < retries) continue;
        throw new LlmError(
          "connection_dropped",
          `The LLM server at ${baseUrl} closed the stream after ${tokens} tokens without finishing; the answer is incomplete.`,
          { partialText: text },
        );
      }
      yield { type: "done", result: { text, model: answeredBy, usage: toUsage(usage, messages, tokens), finishReason } };
      return;
    }
  } catch (error) {
    throw classify(error, { baseUrl, text, tokens, timers, signal });
  } finally {
    timers.dispose();
  }
}

function parseChunk(data: string, baseUrl: string, partialText: string) {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new LlmError("bad_response", `The LLM server at ${baseUrl} sent a stream chunk that is not JSON.`, { partialText });
  }
  const chunk = chunkSchema.safeParse(json);
  if (!chunk.success) throw new LlmError("bad_response", `The LLM server at ${baseUrl} sent a malformed stream chunk.`, { partialText });
  if (chunk.data.error !== undefined) {
    const message = messageOf(data) ?? "unknown error";
    throw new LlmError("server_error", `The LLM server at ${baseUrl} failed mid-answer: ${message}`, { partialText });
  }
  return chunk.data;
}

function classify(
  error: unknown,
  call: { baseUrl: string; text: string; tokens: number; timers: CallTimers; signal?: AbortSignal },
): LlmError {
  if (error instanceof LlmError) return error;
  if (call.timers.expired) return call.timers.expired.withPartial(call.text);
  if (call.signal?.aborted) return new LlmError("aborted", "The request was cancelled.", { partialText: call.text, cause: error });
  if (call.tokens > 0) {
    return new LlmError(
      "connection_dropped",
      `Connection to the LLM server at ${call.baseUrl} dropped after ${call.tokens} tokens; the answer is incomplete.`,
      { partialText: call.text, cause: error },
    );
  }
  return unreachable(call.baseUrl, error);
}

function toUsage(reported: { prompt_tokens: number; completion_tokens: number } | undefined, messages: ChatMessage[], tokens: number): TokenUsage {
  if (reported) {
    const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = reported;
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: false };
  }
  // Roughly four characters a token in English; marked estimated so nobody bills on it.
  const promptTokens = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
  return { promptTokens, completionTokens: tokens, totalTokens: promptTokens + tokens, estimated: true };
}

/** The first-token and whole-answer deadlines of one call, as one abort signal. */
class CallTimers {
  private readonly controller = new AbortController();
  private readonly firstToken: ReturnType<typeof setTimeout>;
  private readonly total: ReturnType<typeof setTimeout>;
  expired?: { withPartial(text: string): LlmError };

  constructor(config: OpenAiChatConfig, baseUrl: string) {
    this.firstToken = setTimeout(
      () => this.expire("first_token_timeout", `No token from the LLM server at ${baseUrl} within ${config.firstTokenTimeoutMs} ms; it may be overloaded or stuck.`),
      config.firstTokenTimeoutMs,
    );
    this.total = setTimeout(
      () => this.expire("total_timeout", `The answer from the LLM server at ${baseUrl} took longer than ${config.totalTimeoutMs} ms and was cut off; it is incomplete.`),
      config.totalTimeoutMs,
    );
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  firstTokenArrived(): void {
    clearTimeout(this.firstToken);
  }

  dispose(): void {
    clearTimeout(this.firstToken);
    clearTimeout(this.total);
  }

  private expire(code: "first_token_timeout" | "total_timeout", message: string): void {
    if (this.expired) return;
    this.expired = { withPartial: (partialText) => new LlmError(code, message, { partialText }) };
    this.controller.abort(new Error(message));
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
