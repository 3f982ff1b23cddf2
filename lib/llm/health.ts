import { z } from "zod";
import { createOpenAiChatModel, type OpenAiChatConfig } from "./client";
import { LlmError } from "./errors";
import { fromErrorResponse, unreachable, type Advice } from "./failures";
import type { ChatModel } from "./types";

export interface LlmServerRef {
  /** Base URL including the API prefix, e.g. http://127.0.0.1:8081/v1. */
  baseUrl: string;
  apiKey?: string;
  /** The model we mean to use; unset means "whatever the server serves first". */
  model?: string;
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** What failures tell the person to check (default: the settings). */
  advice?: Advice;
}

/** For /api/health: `ok` with the model that will answer, or a message a person can act on. */
export interface LlmHealth {
  ok: boolean;
  model?: string;
  message?: string;
}

const modelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** The model ids the server lists at GET /models; throws LlmError. */
export async function listModels(ref: LlmServerRef): Promise<string[]> {
  const baseUrl = ref.baseUrl.replace(/\/+$/, "");
  const headers: Record<string, string> = ref.apiKey ? { Authorization: `Bearer ${ref.apiKey}` } : {};
  const signal = AbortSignal.timeout(ref.timeoutMs ?? 5000);
  let text: string;
  try {
    // no-store: Next.js would otherwise be free to cache this GET inside the app.
    const response = await fetch(`${baseUrl}/models`, { headers, signal, cache: "no-store" });
    if (response.status !== 200) throw await fromErrorResponse(response, baseUrl, ref.model ?? "(any)", ref.advice);
    text = await response.text();
  } catch (error) {
    if (error instanceof LlmError) throw error;
    if (signal.aborted) throw new LlmError("unreachable", `LLM server at ${baseUrl} did not answer GET /models within ${ref.timeoutMs ?? 5000} ms.`);
    throw unreachable(baseUrl, error, ref.advice);
  }
  const parsed = modelsSchema.safeParse(parseJson(text));
  if (!parsed.success) throw new LlmError("bad_response", `GET ${baseUrl}/models did not return an OpenAI model list.`);
  return parsed.data.data.map((m) => m.id);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The listed id matching `wanted` (Ollama lists "llama3:latest" for "llama3"), or undefined. */
function findModel(ids: string[], wanted: string): string | undefined {
  return ids.find((id) => id === wanted) ?? ids.find((id) => id === `${wanted}:latest`);
}

/** Asks the server which models it serves and whether ours is among them; never throws. */
export async function checkLlmHealth(ref: LlmServerRef): Promise<LlmHealth> {
  try {
    const ids = await listModels(ref);
    if (!ref.model) {
      const first = ids[0];
      return first ? { ok: true, model: first } : { ok: false, message: `The LLM server at ${ref.baseUrl} serves no model.` };
    }
    const found = findModel(ids, ref.model);
    if (found) return { ok: true, model: found };
    return {
      ok: false,
      model: ref.model,
      message: `Model "${ref.model}" is not loaded on the LLM server at ${ref.baseUrl}; it serves: ${ids.join(", ") || "nothing"}. Check LLM_MODEL.`,
    };
  } catch (error) {
    return { ok: false, model: ref.model, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A ChatModel for the server, naming the model the server serves when `config.model` is unset. Throws LlmError. */
export async function connectChatModel(config: Omit<OpenAiChatConfig, "model"> & { model?: string }): Promise<ChatModel> {
  if (config.model) return createOpenAiChatModel({ ...config, model: config.model });
  const [first] = await listModels(config);
  if (!first) throw new LlmError("model_not_loaded", `The LLM server at ${config.baseUrl} serves no model.`);
  return createOpenAiChatModel({ ...config, model: first });
}
