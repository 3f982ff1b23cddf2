/** Server-side records of sign-ins, so a session can be ended before its cookie expires. */
import { and, eq, isNull, lt, ne, or } from "drizzle-orm";
import type { Database } from "../client";
import { sessions, users, type Role } from "../schema";

export type RevokeReason = "sign-out" | "sign-out-everywhere" | "deactivated" | "password-change";

/** Records a sign-in; the user's sessions that ended more than a day ago are dropped meanwhile. */
export async function createSession(db: Database, input: { userId: string; maxAgeMs: number; now?: Date }): Promise<string> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const dayAgo = new Date(now.getTime() - 86_400_000);
    await tx.delete(sessions).where(and(eq(sessions.userId, input.userId), or(lt(sessions.expiresAt, dayAgo), lt(sessions.revokedAt, dayAgo))));
    const [row] = await tx.insert(sessions).values({ userId: input.userId, expiresAt: new Date(now.getTime() + input.maxAgeMs) }).returning({ id: sessions.id });
    return row!.id;
  });
}

export interface SessionOwner {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

/** A session with its user, and whether it still counts: "live", "expired", or why it was revoked. */
export async function getSession(
  db: Database,
  input: { sessionId: string; userId: string; now?: Date },
): Promise<{ user: SessionOwner; state: "live" | "expired" | RevokeReason } | undefined> {
  const [row] = await db
    .select({ user: { id: users.id, email: users.email, name: users.name, role: users.role, active: users.active }, expiresAt: sessions.expiresAt, revokedReason: sessions.revokedReason, revokedAt: sessions.revokedAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, input.userId)));
  if (!row) return undefined;
  const state = row.revokedAt ? ((row.revokedReason ?? "sign-out") as RevokeReason) : row.expiresAt <= (input.now ?? new Date()) ? "expired" : "live";
  return { user: row.user, state };
}

export async function revokeSession(db: Database, input: { sessionId: string; reason: RevokeReason }): Promise<void> {
  await db.update(sessions).set({ revokedAt: new Date(), revokedReason: input.reason }).where(and(eq(sessions.id, input.sessionId), isNull(sessions.revokedAt)));
}

/** Ends every live session of a user but `except`; returns how many. Takes a transaction so it joins the change that caused it. */
export async function revokeUserSessions(db: Database, input: { userId: string; reason: RevokeReason; except?: string }): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: input.reason })
    .where(and(eq(sessions.userId, input.userId), isNull(sessions.revokedAt), input.except ? ne(sessions.id, input.except) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}
