import { z } from "zod";
import { setSelfReviewAllowed } from "@/db/queries/settings";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.strictObject({ allowed: z.boolean() });

/** Whether a reviewer may decide on the answer to their own question (small teams); audited. */
export const PUT = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const { allowed } = await parseJson(request, bodySchema);
  await setSelfReviewAllowed(await getDb(), { allowed, actor });
  log.info({ event: "settings.self_review", allowed }, "separation of duties changed");
  return Response.json({ allowed });
});
