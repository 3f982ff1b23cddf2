/** One chat turn in OpenAI's shape; content is plain text. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Sampling and length settings for one answer; unset fields use the server's defaults. */
export interface ChatOptions {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string | string[];
  seed?: number;
  /**
   * Constrain the answer to JSON matching this schema (OpenAI's response_format
   * "json_schema", which vLLM, llama.cpp server and Ollama also accept).
   */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
}

/** Token counts for one call; `estimated` is true when the server reported none and we counted ourselves. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
}

/** Why generation ended: a stop sequence or end-of-turn ("stop"), or the token limit ("length"). */
export type FinishReason = "stop" | "length";

/** A finished, complete answer. Incomplete answers are never returned: they throw an LlmError instead. */
export interface ChatResult {
  text: string;
  /** The model id the server says answered. */
  model: string;
  usage: TokenUsage;
  finishReason: FinishReason;
}

/** What `ChatModel.stream` yields: tokens as they arrive, then exactly one "done" for a complete answer. */
export type ChatStreamEvent = { type: "token"; text: string } | { type: "done"; result: ChatResult };

/** A chat model behind an OpenAI-compatible endpoint. */
export interface ChatModel {
  /** The model id requests name (may be resolved from the server on first use). */
  readonly id: string;
  /** Streams tokens with backpressure: the response is read only as fast as the caller iterates. */
  stream(messages: ChatMessage[], options?: ChatOptions, signal?: AbortSignal): AsyncIterable<ChatStreamEvent>;
  /** Waits for the whole answer. */
  complete(messages: ChatMessage[], options?: ChatOptions, signal?: AbortSignal): Promise<ChatResult>;
}
