import { z } from "zod";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { readableDocument, resolveDocumentLinks } from "@/lib/kb/reader";
import { route } from "@/lib/http/route";

const query = z.object({ id: z.string().uuid(), hrefs: z.array(z.string().max(2000)).max(100) });

/** Where the links written in a passage of this document lead in Vouch: ?href=…&href=… → {links: {href: viewer address or null}}. */
export const GET = route<{ id: string }>(async (request, { params }) => {
  const user = await requireApiUser(ALL_ROLES);
  const parsed = query.safeParse({ id: (await params).id, hrefs: new URL(request.url).searchParams.getAll("href") });
  if (!parsed.success) throw new AppError("bad_request:links", "Ask for at most 100 links of a document.");
  const { doc } = await readableDocument(user, parsed.data.id);
  return Response.json({ links: Object.fromEntries(await resolveDocumentLinks(doc, parsed.data.hrefs)) });
});
