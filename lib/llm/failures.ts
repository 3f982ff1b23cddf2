import { LlmError } from "./errors";

/** Turns a fetch rejection into an LlmError: the cause's code (ECONNREFUSED…) tells people what to check. */
export function unreachable(baseUrl: string, error: unknown): LlmError {
  const err = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof err?.code === "string" ? err.code : typeof err?.cause?.code === "string" ? err.cause.code : undefined;
  const detail = code ?? (typeof err?.message === "string" ? err.message : String(error));
  return new LlmError("unreachable", `LLM server unreachable at ${baseUrl} (${detail}). Is it running? Check LLM_BASE_URL.`, { cause: error });
}

/** An error response before any token, mapped to what the person should do about it. */
export async function fromErrorResponse(response: Response, baseUrl: string, model: string): Promise<LlmError> {
  const text = await response.text().catch(() => "");
  const serverMessage = messageOf(text) ?? response.statusText;
  const status = response.status;
  if (status === 404 && /model/i.test(serverMessage)) {
    return new LlmError("model_not_loaded", `Model "${model}" is not loaded on the LLM server at ${baseUrl}: ${serverMessage}`, { status });
  }
  if (status === 404) {
    return new LlmError("bad_request", `No chat endpoint at ${baseUrl}/chat/completions (404); does LLM_BASE_URL end with /v1?`, { status });
  }
  if (status === 401 || status === 403) {
    return new LlmError("unauthorized", `The LLM server at ${baseUrl} refused the credentials (${status}); check LLM_API_KEY.`, { status });
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
