/**
 * Cross-site request forgery: a page elsewhere (another site, or another port of this
 * host) can make a signed-in user's browser send a request with their cookie, so a request
 * that changes anything must come from this app's own pages. Browsers say where a request
 * comes from: Sec-Fetch-Site, or Origin. Requests with neither (curl, scripts) are not a
 * browser acting for someone and pass; their cookie, if any, is their own.
 */
export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Why `request` may not change anything, or undefined when it may. The app's own origin is
 * the host the request was sent to (Host, or X-Forwarded-Host behind a proxy) or `appUrl`'s.
 */
export function crossOriginRefusal(request: Request, appUrl: string): string | undefined {
  if (!STATE_CHANGING.has(request.method.toUpperCase())) return undefined;
  const site = request.headers.get("sec-fetch-site");
  if (site === "same-site" || site === "cross-site") return `a ${site} request`;
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `a request from origin "${origin.slice(0, 100)}"`;
  }
  const own = [request.headers.get("x-forwarded-host"), request.headers.get("host"), new URL(appUrl).host].filter(Boolean);
  return own.includes(host) ? undefined : `a request from ${origin.slice(0, 100)}`;
}
