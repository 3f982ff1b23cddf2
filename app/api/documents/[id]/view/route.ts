import { htmlView } from "@/ingest/view";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { route, uuidParam } from "@/lib/http/route";
import { documentNotFound, openForReading } from "@/lib/kb/reader";
import { passageAt, readViewQuery } from "@/lib/kb/view-query";

/** Only what the page itself carries: no scripts, no requests, nothing but inline styles; framed only by Vouch. */
const POLICY = "sandbox allow-top-navigation-by-user-activation; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

const STYLE = `body{font:15px/1.6 system-ui,sans-serif;color:#1e293b;max-width:52rem;margin:0 auto;padding:1.5rem}
mark.cited{background:#fef08a;box-shadow:0 0 0 2px #fef08a}a{color:#4338ca}pre{background:#f1f5f9;padding:.75rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #cbd5e1;padding:.25rem .5rem}h1,h2,h3{line-height:1.25}`;

/** An HTML original, sanitised and with the cited passage shaded, for the viewer's sandboxed frame. */
export const GET = route<{ id: string }>(async (request, { params }) => {
  const user = await requireApiUser(ALL_ROLES);
  const id = await uuidParam(params, documentNotFound);
  const doc = await openForReading(user, id, passageAt(readViewQuery(new URL(request.url).searchParams)));
  if (doc.type !== "html") throw new AppError("not_found:document", "Only HTML documents are shown this way.");
  const view = await htmlView(doc.bytes, doc.resolveLinks, doc.passage?.text);
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body>${view.html}</body></html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": POLICY, "x-content-type-options": "nosniff", "cache-control": "private, no-store" } });
});
