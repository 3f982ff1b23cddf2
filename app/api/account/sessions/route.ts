import { insertAuditEvent } from "@/db/queries/audit";
import { revokeUserSessions } from "@/db/queries/sessions";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

/** Sign out everywhere: ends every session of the signed-in user, this one included; audited. */
export const DELETE = route(async (_request, { log }) => {
  const user = await requireApiUser(ALL_ROLES);
  const db = await getDb();
  const ended = await db.transaction(async (tx) => {
    const count = await revokeUserSessions(tx as unknown as typeof db, { userId: user.id, reason: "sign-out-everywhere" });
    await insertAuditEvent(tx, { actorId: user.id, actorEmail: user.email, action: "auth.signout_everywhere", target: user.email, details: { sessions: count } });
    return count;
  });
  log.info({ event: "auth.signout_everywhere", sessions: ended }, "signed out everywhere");
  return Response.json({ ended });
});
