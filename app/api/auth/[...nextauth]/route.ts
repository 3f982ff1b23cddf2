/**
 * next-auth's handler, with the edge checks it lacks in front of the
 * credentials callback: a malformed body gets 400, and an email or address with
 * recent failures must wait (429, audited) before any password is checked.
 */
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { credentialsSchema, recordRateLimited, signInRetryAfterSeconds } from "@/lib/auth/signin";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { describeZodError } from "@/lib/errors";
import { requestLogger } from "@/lib/log";

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: Context) {
  return NextAuth(request as never, context as never, authOptions()) as Promise<Response>;
}

function errorResponse(status: number, error: string, message: string, headers: Record<string, string> = {}, detail = "") {
  // next-auth's client reads `url` to find the error code, and hands the page nothing else, so a
  // detail the page shows rides in the code ("RateLimited:4"); API callers read `error` and `message`.
  const url = `${getEnv().appUrl}/signin?error=${encodeURIComponent(detail ? `${error}:${detail}` : error)}`;
  return Response.json({ url, error, message }, { status, headers });
}

export { handler as GET };

/**
 * The client's address as the nearest proxy reports it (Next.js fills the header from the socket
 * when no proxy set it). A client talking to the app directly can send its own header; per-email
 * throttling still holds then, and a proxy in front should overwrite the header.
 */
function clientAddress(request: Request): string | undefined {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || undefined;
}

export async function POST(request: Request, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.join("/") !== "callback/credentials") return handler(request, context);
  const log = requestLogger(request.headers.get("x-request-id") ?? crypto.randomUUID());
  const form = await request.clone().formData().catch(() => null);
  const parsed = credentialsSchema.safeParse(form ? Object.fromEntries(form) : null);
  if (!parsed.success) {
    log.info({ event: "signin.bad_request" }, "malformed sign-in body");
    return errorResponse(400, "BadRequest", describeZodError(parsed.error));
  }
  const db = await getDb();
  const ip = clientAddress(request);
  const retryAfter = await signInRetryAfterSeconds(db, { email: parsed.data.email, ip });
  if (retryAfter > 0) {
    await recordRateLimited(db, parsed.data.email, ip);
    log.warn({ event: "signin.rate_limited", retryAfter }, "sign-in throttled");
    const message = `Too many failed sign-ins; try again in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`;
    return errorResponse(429, "RateLimited", message, { "Retry-After": String(retryAfter) }, String(retryAfter));
  }
  return handler(request, context);
}
