import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { adminDeleteDocument } from "@/lib/kb/admin";
import { idSchema } from "@/lib/kb/schemas";

export const DELETE = route<{ id: string; docId: string }>(async (_request, { params }) => {
  const { id, docId } = await params;
  if (!idSchema.safeParse(id).success || !idSchema.safeParse(docId).success) throw new AppError("not_found:document", "That document does not exist.");
  const actor = await requireApiUser(ADMIN_ROLES);
  await adminDeleteDocument(actor, id, docId);
  return new Response(null, { status: 204 });
});
