import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";
import { adminUpdateUser } from "@/lib/users/admin";
import { updateUserSchema, userIdSchema } from "@/lib/users/schemas";

export const PATCH = route<{ id: string }>(async (request, { params, log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, updateUserSchema);
  const id = userIdSchema.safeParse((await params).id);
  if (!id.success) throw new AppError("not_found:users", "That user does not exist.");
  const user = await adminUpdateUser(await getDb(), actor, id.data, body);
  log.info({ event: "user.update", userId: user.id }, "user updated");
  return Response.json({ user });
});
