import { z } from "zod";
import type { ChatMessage } from "@/lib/llm/types";

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const message = z.object({
  // "developer" is OpenAI's newer name for the system role.
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(textPart)]),
});

/** POST /v1/chat/completions body; unknown OpenAI fields are accepted and ignored. */
export const chatCompletionRequestSchema = z.object({
  model: z.string().optional(),
  messages: z.array(message).min(1, "messages must hold at least one message"),
  stream: z.boolean().optional().default(false),
  max_tokens: z.number().int().min(1).optional(),
  max_completion_tokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  stop: z
    .union([z.string().min(1), z.array(z.string().min(1)).max(4)])
    .nullish()
    .transform((v) => (v == null ? [] : typeof v === "string" ? [v] : v)),
  seed: z.number().int().optional(),
  n: z.literal(1, "only n = 1 is supported").optional(),
  /** "json_schema" constrains the answer with a grammar; "text" (the default) does not. */
  response_format: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("text") }),
      z.object({ type: z.literal("json_schema"), json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()) }) }),
    ])
    .optional(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** One line naming every bad field, for a 400 response. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`).join("; ");
}

export function toChatMessages(request: ChatCompletionRequest): ChatMessage[] {
  return request.messages.map((m) => ({
    role: m.role === "developer" ? "system" : m.role,
    content: typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join(""),
  }));
}

/** OpenAI error body; `type` follows OpenAI's names so stock clients show the message. */
export function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

export interface UsageFields {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageFields(promptTokens: number, completionTokens: number): UsageFields {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function chunkBody(
  who: CompletionIdentity,
  delta: { role?: "assistant"; content?: string },
  finishReason: string | null = null,
  usage?: UsageFields,
) {
  return {
    ...who,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(usage ? { usage } : {}),
  };
}

/** An SSE frame builder for content deltas that serialises only the token text per token (the hot path). */
export function contentFrame(who: CompletionIdentity): (text: string) => string {
  const marker = "\u0000";
  const [head, tail] = JSON.stringify(chunkBody(who, { content: marker })).split(JSON.stringify(marker));
  return (text) => `data: ${head}${JSON.stringify(text)}${tail}\n\n`;
}

export function completionBody(who: CompletionIdentity, text: string, finishReason: string, usage: UsageFields) {
  return {
    ...who,
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}
