/**
 * next-auth's handler, with the edge checks it lacks in front of the
 * credentials callback: a malformed body gets 400, and an email with too many
 * recent failures gets 429 (audited) before any password is checked.
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

function errorResponse(status: number, error: string, message: string, headers: Record<string, string> = {}) {
  // next-auth's client reads `url` to find the error code; API callers read `message`.
  const url = `${getEnv().appUrl}/signin?error=${error}`;
  return Response.json({ url, error, message }, { status, headers });
}

export { handler as GET };

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
  const retryAfter = await signInRetryAfterSeconds(db, parsed.data.email);
  if (retryAfter > 0) {
    await recordRateLimited(db, parsed.data.email, request.headers.get("x-forwarded-for") ?? undefined);
    log.warn({ event: "signin.rate_limited" }, "sign-in rate limited");
    return errorResponse(429, "RateLimited", "Too many failed sign-ins for this email; try again later.", { "Retry-After": String(retryAfter) });
  }
  return handler(request, context);
}
