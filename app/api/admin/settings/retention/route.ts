import { z } from "zod";
import { setRetention } from "@/db/queries/settings";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";

const body = z.object({ days: z.number().int().min(1).max(3650), keepTexts: z.boolean() });

/** How long turn records keep their texts, and whether they keep them at all (audited). */
export const PUT = route(async (request) => {
  const user = await requireApiUser(ADMIN_ROLES);
  const input = await parseJson(request, body);
  await setRetention(await getDb(), { ...input, actor: { id: user.id, email: user.email } });
  return Response.json({ ok: true, ...input });
});
