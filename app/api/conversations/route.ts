import { listConversations } from "@/db/queries/conversations";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const GET = route(async () => {
  const user = await requireApiUser(ALL_ROLES);
  const rows = await listConversations(await getDb(), { userId: user.id });
  return Response.json({ conversations: rows.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt.toISOString() })) });
});
