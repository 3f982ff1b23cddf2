/** Clears the session cookie and returns to the sign-in page, saying why (used when an account is deactivated). */
import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export function GET(request: NextRequest) {
  const reason = request.nextUrl.searchParams.get("reason") === "deactivated" ? "deactivated" : "signed-out";
  const response = NextResponse.redirect(new URL(`/signin?reason=${reason}`, request.url));
  for (const name of SESSION_COOKIES) response.cookies.delete(name);
  return response;
}
