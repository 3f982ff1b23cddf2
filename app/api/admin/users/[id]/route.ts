import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route, uuidParam } from "@/lib/http/route";
import { adminUpdateUser, userNotFound } from "@/lib/users/admin";
import { updateUserSchema } from "@/lib/users/schemas";

export const PATCH = route<{ id: string }>(async (request, { params, log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, updateUserSchema);
  const id = await uuidParam(params, userNotFound);
  const user = await adminUpdateUser(await getDb(), actor, id, body);
  log.info({ event: "user.update", userId: user.id }, "user updated");
  return Response.json({ user });
});
