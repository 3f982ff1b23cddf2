import { z } from "zod";
import { deleteConversation, renameConversation } from "@/db/queries/conversations";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { loadConversation } from "@/lib/chat/access";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route, uuidParam } from "@/lib/http/route";

const notFound = () => new AppError("not_found:chat", "That conversation does not exist.");

const conversationId = (params: Promise<{ id: string }>) => uuidParam(params, notFound);

export const GET = route<{ id: string }>(async (_request, { params }) => {
  const id = await conversationId(params);
  const user = await requireApiUser(ALL_ROLES);
  const conversation = await loadConversation(user.id, id);
  if (!conversation) throw notFound();
  return Response.json({ conversation }, { headers: { "cache-control": "no-store" } });
});

export const PATCH = route<{ id: string }>(async (request, { params }) => {
  const user = await requireApiUser(ALL_ROLES);
  const body = await parseJson(request, z.object({ title: z.string().trim().min(1, "Enter a title.").max(120) }));
  const id = await conversationId(params);
  const row = await renameConversation(await getDb(), { id, userId: user.id, title: body.title });
  if (!row) throw notFound();
  return Response.json({ conversation: { id: row.id, title: row.title } });
});

export const DELETE = route<{ id: string }>(async (_request, { params }) => {
  const id = await conversationId(params);
  const user = await requireApiUser(ALL_ROLES);
  if (!(await deleteConversation(await getDb(), { id, userId: user.id }))) throw notFound();
  return new Response(null, { status: 204 });
});
