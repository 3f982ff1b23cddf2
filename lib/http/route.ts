import "server-only";
/** Shared edge handling for route handlers: request ids, typed errors, body parsing. */
import type { Logger } from "pino";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { AppError, describeZodError } from "@/lib/errors";
import { requestLogger } from "@/lib/log";
import { crossOriginRefusal } from "./origin";

export interface RouteContext<P> {
  params: Promise<P>;
  log: Logger;
  requestId: string;
}

/**
 * Wraps a handler: a request that would change something from another site or origin is
 * refused before anything else (403); AppErrors become their response; anything else is
 * logged and becomes a plain 500.
 */
export function route<P = Record<string, string>>(
  handler: (request: Request, context: RouteContext<P>) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
    const log = requestLogger(requestId);
    try {
      const refusal = crossOriginRefusal(request, getEnv().appUrl);
      if (refusal) {
        log.warn({ method: request.method, origin: request.headers.get("origin"), site: request.headers.get("sec-fetch-site") }, "cross-origin request refused");
        throw new AppError("forbidden:origin", `Changes must come from Vouch's own pages; ${refusal} was refused.`);
      }
      const response = await handler(request, { params: context.params, log, requestId });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      if (error instanceof AppError) {
        if (error.status >= 500) log.error({ err: error.cause ?? error, code: error.code }, error.message);
        const response = error.toResponse();
        response.headers.set("x-request-id", requestId);
        return response;
      }
      if (clientWentAway(request, error)) {
        // Reading the body of a request whose client closed the connection: nothing to answer, nothing wrong here.
        log.info({ method: request.method }, "the client closed the request before it was read");
        return new Response(null, { status: 499 });
      }
      log.error({ err: error }, "unhandled error in route");
      return Response.json({ code: "internal:api", message: "Something went wrong on our side. Try again.", requestId }, { status: 500 });
    }
  };
}

/** The route's `[id]` as a UUID; any other id names nothing, so it is `notFound` (a 404 with the surface's words). */
export async function uuidParam(params: Promise<{ id: string }>, notFound: () => AppError): Promise<string> {
  const parsed = UUID.safeParse((await params).id);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

const UUID = z.string().uuid();

/**
 * Reads a JSON body and validates it; a malformed body is a 400 with the first problem named.
 * The body must say it is JSON: a form or text/plain body (which a page elsewhere can send
 * without asking the browser first) is refused with 415.
 */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S, options: { maxBytes?: number } = {}): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type:api", "The request body must be JSON, sent as application/json.");
  }
  const text = await readText(request, options.maxBytes ?? MAX_JSON_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request:api", "The request body must be JSON.");
  }
  // PostgreSQL text cannot hold NUL: refused here with a reason rather than failing at the write.
  if (hasNul(body)) throw new AppError("bad_request:api", "Text may not contain the NUL character (\\u0000).");
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError("bad_request:api", describeZodError(parsed.error));
  return parsed.data;
}

function clientWentAway(request: Request, error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return request.signal.aborted || (e?.code === "ECONNRESET" && e.message === "aborted");
}

/** Every JSON body Vouch takes is small (a question, a policy, a user); a larger one is refused unread. */
export const MAX_JSON_BYTES = 1024 * 1024;

/** The body as text, refused with 413 as soon as it passes `maxBytes` (declared or read). */
async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new AppError("payload_too_large:api", `The request body is over the limit of ${Math.round(maxBytes / 1024)} KB.`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v));
  return false;
}
