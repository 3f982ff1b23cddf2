import { listUsers } from "@/db/queries/users";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";
import { adminCreateUser, publicUser } from "@/lib/users/admin";
import { createUserSchema } from "@/lib/users/schemas";

export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  const users = await listUsers(await getDb());
  return Response.json({ users: users.map(publicUser) });
});

export const POST = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, createUserSchema);
  const user = await adminCreateUser(await getDb(), actor, body);
  log.info({ event: "user.create", userId: user.id }, "user created");
  return Response.json({ user }, { status: 201 });
});
