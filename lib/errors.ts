/**
 * One error type for the edges: a code `type:surface` and a message a person
 * can act on. Causes are logged; responses carry only the message.
 */
export type ErrorType = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unsupported_media_type" | "rate_limit" | "unavailable" | "internal";

const STATUS: Record<ErrorType, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limit: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly type: ErrorType;
  readonly surface: string;
  readonly headers: Record<string, string>;

  constructor(code: `${ErrorType}:${string}`, message: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    const [type, surface] = code.split(":") as [ErrorType, string];
    this.type = type;
    this.surface = surface;
    this.headers = options.headers ?? {};
  }

  get code(): string {
    return `${this.type}:${this.surface}`;
  }

  get status(): number {
    return STATUS[this.type];
  }

  toResponse(): Response {
    return Response.json({ code: this.code, message: this.message }, { status: this.status, headers: this.headers });
  }
}

/**
 * Turns a zod error into the first problem, phrased for a person: our own messages are whole
 * sentences and stand alone; zod's terse defaults ("Required") get the field's name in front.
 */
export function describeZodError(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const first = error.issues[0];
  if (!first) return "The request is malformed.";
  const sentence = /^[A-Z].*[.?!]$/.test(first.message);
  const where = first.path.length && !sentence ? `${first.path.map(String).join(".")}: ` : "";
  return `${where}${first.message}`;
}
