import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { adminDeleteDocument } from "@/lib/kb/admin";
import { idSchema } from "@/lib/kb/schemas";

export const DELETE = route<{ id: string; docId: string }>(async (_request, { params }) => {
  const { id, docId } = await params;
  const actor = await requireApiUser(ADMIN_ROLES);
  if (!idSchema.safeParse(id).success || !idSchema.safeParse(docId).success) throw new AppError("not_found:document", "That document does not exist.");
  await adminDeleteDocument(actor, id, docId);
  return new Response(null, { status: 204 });
});
