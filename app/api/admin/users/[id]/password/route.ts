import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route, uuidParam } from "@/lib/http/route";
import { adminSetPassword, userNotFound } from "@/lib/users/admin";
import { setPasswordSchema } from "@/lib/users/schemas";

/** An admin sets another user's password; that user's sessions end (audited as user.password_reset). */
export const PUT = route<{ id: string }>(async (request, { params, log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const { password } = await parseJson(request, setPasswordSchema);
  const id = await uuidParam(params, userNotFound);
  const result = await adminSetPassword(await getDb(), actor, id, password);
  log.info({ event: "user.password_reset", userId: id, sessionsEnded: result.sessionsEnded }, "password reset by an admin");
  return Response.json(result);
});
