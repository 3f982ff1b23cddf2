import { renderPdfPage } from "@/ingest/view";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { route, uuidParam } from "@/lib/http/route";
import { documentNotFound, openForReading } from "@/lib/kb/reader";
import { passageAt, readViewQuery } from "@/lib/kb/view-query";

/** Page p of a PDF original as an image, with the cited passage shaded when it is on that page. */
export const GET = route<{ id: string }>(async (request, { params }) => {
  const user = await requireApiUser(ALL_ROLES);
  const id = await uuidParam(params, documentNotFound);
  const query = readViewQuery(new URL(request.url).searchParams);
  const doc = await openForReading(user, id, passageAt(query));
  if (doc.type !== "pdf") throw new AppError("not_found:document", "Only PDF documents have page images.");
  const image = await renderPdfPage(doc.bytes, query.p ?? doc.passage?.pageStart ?? 1, doc.passage?.text);
  // Says whether the passage was found on this page (the shading is in the pixels).
  return new Response(new Uint8Array(image.png), { headers: { "content-type": "image/png", "x-passage-marked": image.marked ? "yes" : "no", "x-content-type-options": "nosniff", "cache-control": "private, max-age=300" } });
});
