import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { parseJson, route, uuidParam } from "@/lib/http/route";
import { adminDeleteKb, adminUpdateKb } from "@/lib/kb/admin";
import { updateKbSchema } from "@/lib/kb/schemas";

const kbId = (params: Promise<{ id: string }>) => uuidParam(params, () => new AppError("not_found:kb", "That knowledge base does not exist."));

export const PATCH = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, updateKbSchema);
  const id = await kbId(params);
  return Response.json({ knowledgeBase: await adminUpdateKb(actor, id, body) });
});

export const DELETE = route<{ id: string }>(async (_request, { params }) => {
  const id = await kbId(params);
  const actor = await requireApiUser(ADMIN_ROLES);
  await adminDeleteKb(actor, id);
  return new Response(null, { status: 204 });
});
