import { getDocument, requeueDocument } from "@/db/queries/documents";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { idSchema } from "@/lib/kb/schemas";

export const POST = route<{ id: string; docId: string }>(async (_request, { params }) => {
  const { id, docId } = await params;
  const actor = await requireApiUser(ADMIN_ROLES);
  if (!idSchema.safeParse(id).success || !idSchema.safeParse(docId).success) throw new AppError("not_found:document", "That document does not exist.");
  const db = await getDb();
  const doc = await getDocument(db, { id: docId });
  if (!doc || doc.kbId !== id) throw new AppError("not_found:document", "That document does not exist.");
  await requeueDocument(db, { id: docId, actor, reason: "re-index requested" });
  return new Response(null, { status: 202 });
});
