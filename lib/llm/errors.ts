/** What went wrong talking to a model server, in terms a person can act on. */
export type LlmErrorCode =
  | "unreachable"
  | "model_not_loaded"
  | "first_token_timeout"
  | "total_timeout"
  | "connection_dropped"
  | "rate_limited"
  | "bad_request"
  | "unauthorized"
  | "server_error"
  | "bad_response"
  | "aborted";

/** A typed generation failure. `partialText` holds what arrived before a failure; it is never a complete answer. */
export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly status?: number;
  readonly partialText: string;
  /** Whether trying again later may succeed (server down, busy, timed out). */
  readonly retryable: boolean;

  constructor(
    code: LlmErrorCode,
    message: string,
    options: { status?: number; partialText?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "LlmError";
    this.code = code;
    this.status = options.status;
    this.partialText = options.partialText ?? "";
    this.retryable = RETRYABLE.has(code);
  }
}

const RETRYABLE = new Set<LlmErrorCode>([
  "unreachable",
  "first_token_timeout",
  "total_timeout",
  "connection_dropped",
  "rate_limited",
  "server_error",
]);

/** True for an LlmError, optionally with one of the given codes. */
export function isLlmError(error: unknown, ...codes: LlmErrorCode[]): error is LlmError {
  return error instanceof LlmError && (codes.length === 0 || codes.includes(error.code));
}
