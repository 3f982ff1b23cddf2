import { listKnowledgeBasesWithCounts } from "@/db/queries/knowledge-bases";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";
import { adminCreateKb } from "@/lib/kb/admin";
import { createKbSchema } from "@/lib/kb/schemas";

export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  return Response.json({ knowledgeBases: await listKnowledgeBasesWithCounts(await getDb()) });
});

export const POST = route(async (request) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, createKbSchema);
  return Response.json({ knowledgeBase: await adminCreateKb(actor, body) }, { status: 201 });
});
