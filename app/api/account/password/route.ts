import { z } from "zod";
import { getUserById, setPasswordHash } from "@/db/queries/users";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/auth/password";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.strictObject({ current: z.string().min(1, "Enter your current password.").max(1024), next: z.string().max(1024) });

/** Changes the signed-in user's own password; their other sessions end (audited). */
export const PUT = route(async (request, { log }) => {
  const user = await requireApiUser(ALL_ROLES);
  const { current, next } = await parseJson(request, bodySchema);
  const db = await getDb();
  const row = await getUserById(db, { id: user.id });
  if (!row || !(await verifyPassword(row.passwordHash, current))) throw new AppError("bad_request:account", "Your current password is not right.");
  const problem = passwordProblem(next);
  if (problem) throw new AppError("bad_request:account", problem);
  const ended = await setPasswordHash(db, { id: user.id, passwordHash: await hashPassword(next), keepSession: user.sessionId, actor: user });
  log.info({ event: "user.password_change", sessionsEnded: ended }, "password changed");
  return Response.json({ sessionsEnded: ended });
});
