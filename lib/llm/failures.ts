import { LlmError } from "./errors";

/** Where the person fixes the server's address and key: the settings, or the form they just filled in. */
export interface Advice {
  address: string;
  key: string;
}
export const SETTINGS_ADVICE: Advice = { address: "LLM_BASE_URL", key: "LLM_API_KEY" };
export const FORM_ADVICE: Advice = { address: "the server address", key: "the API key" };

/** Turns a fetch rejection into an LlmError: the cause's code (ECONNREFUSED…) tells people what to check. */
export function unreachable(baseUrl: string, error: unknown, advice = SETTINGS_ADVICE): LlmError {
  const err = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof err?.code === "string" ? err.code : typeof err?.cause?.code === "string" ? err.cause.code : undefined;
  const detail = code ?? (typeof err?.message === "string" ? err.message : String(error));
  return new LlmError("unreachable", `LLM server unreachable at ${baseUrl} (${detail}). Is it running? Check ${advice.address}.`, { cause: error });
}

/** An error response before any token, mapped to what the person should do about it. */
export async function fromErrorResponse(response: Response, baseUrl: string, model: string, advice = SETTINGS_ADVICE): Promise<LlmError> {
  const text = await response.text().catch(() => "");
  const serverMessage = messageOf(text) ?? response.statusText;
  const status = response.status;
  if (status === 404 && /model/i.test(serverMessage)) {
    return new LlmError("model_not_loaded", `Model "${model}" is not loaded on the LLM server at ${baseUrl}: ${serverMessage}`, { status });
  }
  if (status === 404) {
    return new LlmError("bad_request", `No chat endpoint at ${baseUrl}/chat/completions (404); does ${advice.address} end with /v1?`, { status });
  }
  if (status === 401 || status === 403) {
    return new LlmError("unauthorized", `The LLM server at ${baseUrl} refused the credentials (${status}); check ${advice.key}.`, { status });
  }
  if (status === 429) {
    const after = response.headers.get("retry-after");
    const wait = after ? ` Retry after ${after} s.` : "";
    return new LlmError("rate_limited", `The LLM server at ${baseUrl} is busy: ${serverMessage}.${wait}`, { status });
  }
  if (status >= 500) return new LlmError("server_error", `The LLM server at ${baseUrl} failed (${status}): ${serverMessage}`, { status });
  return new LlmError("bad_request", `The LLM server at ${baseUrl} rejected the request (${status}): ${serverMessage}`, { status });
}

/** The message inside an OpenAI-style error body ({error: {message}} or {error: "…"}), if any. */
export function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === "string") return body.error;
    if (typeof body.error?.message === "string") return body.error.message;
    if (typeof body.message === "string") return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  const trimmed = text.trim().slice(0, 300);
  return trimmed || undefined;
}
