/** Which LLM server the app talks to: LLM_BASE_URL, or the local model server that `npm start` runs. */
import type { Env } from "@/lib/env";
import type { OpenAiChatConfig } from "./client";
import type { LlmServerRef } from "./health";

export function llmServerRef(env: Pick<Env, "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL" | "LLM_PORT">): LlmServerRef {
  return { baseUrl: env.LLM_BASE_URL ?? `http://127.0.0.1:${env.LLM_PORT}/v1`, apiKey: env.LLM_API_KEY, model: env.LLM_MODEL };
}

export function llmClientConfig(env: Env): Omit<OpenAiChatConfig, "model"> & { model?: string } {
  return { ...llmServerRef(env), firstTokenTimeoutMs: env.LLM_FIRST_TOKEN_TIMEOUT_MS, totalTimeoutMs: env.LLM_TOTAL_TIMEOUT_MS };
}
