/** Users, with every change written in one transaction together with its audit event. */
import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { users, type Role, type User } from "../schema";
import { insertAuditEvent } from "./audit";
import { revokeUserSessions } from "./sessions";

export interface Actor {
  id: string | null;
  email: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, email: "system" };

export async function getUserByEmail(db: Database, { email }: { email: string }): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
  return row;
}

export async function getUserById(db: Database, { id }: { id: string }): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export function listUsers(db: Database): Promise<User[]> {
  return db.select().from(users).orderBy(asc(users.email));
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export class UserConflictError extends Error {}

export async function createUser(
  db: Database,
  input: { email: string; name: string; role: Role; passwordHash: string; actor: Actor },
): Promise<User> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`);
    if (existing) throw new UserConflictError(`A user with the email ${input.email} already exists.`);
    const [user] = await tx
      .insert(users)
      .values({ email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash: input.passwordHash })
      .returning();
    await insertAuditEvent(tx, {
      actorId: input.actor.id,
      actorEmail: input.actor.email,
      action: "user.create",
      target: user!.email,
      details: { userId: user!.id, role: user!.role, name: user!.name },
    });
    return user!;
  });
}

/** Changes a user's role or active flag; returns undefined when the user does not exist. */
export async function updateUser(
  db: Database,
  input: { id: string; role?: Role; active?: boolean; name?: string; actor: Actor },
): Promise<User | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, input.id)).for("update");
    if (!before) return undefined;
    const changes: Partial<User> = {};
    if (input.role !== undefined && input.role !== before.role) changes.role = input.role;
    if (input.active !== undefined && input.active !== before.active) changes.active = input.active;
    if (input.name !== undefined && input.name !== before.name) changes.name = input.name;
    if (Object.keys(changes).length === 0) return before;
    const [after] = await tx.update(users).set({ ...changes, updatedAt: new Date() }).where(eq(users.id, input.id)).returning();
    // A deactivated user's sessions end now, so reactivating the account does not revive an old cookie.
    if (changes.active === false) await revokeUserSessions(tx as unknown as Database, { userId: input.id, reason: "deactivated" });
    const action =
      changes.role !== undefined ? "user.role_change" : changes.active === false ? "user.deactivate" : changes.active === true ? "user.reactivate" : "user.update";
    await insertAuditEvent(tx, {
      actorId: input.actor.id,
      actorEmail: input.actor.email,
      action,
      target: before.email,
      details: {
        userId: before.id,
        before: { role: before.role, active: before.active, name: before.name },
        after: { role: after!.role, active: after!.active, name: after!.name },
      },
    });
    return after;
  });
}


/**
 * Sets a user's password hash; every other session of theirs ends in the same transaction, so a
 * password changed because it leaked also locks out whoever used it. Audited as the user's own
 * change, or as an admin's reset when someone else sets it.
 */
export async function setPasswordHash(db: Database, input: { id: string; passwordHash: string; keepSession?: string; actor: Actor }): Promise<number> {
  return db.transaction(async (tx) => {
    const [user] = await tx.update(users).set({ passwordHash: input.passwordHash, updatedAt: new Date() }).where(eq(users.id, input.id)).returning();
    if (!user) return 0;
    const ended = await revokeUserSessions(tx as unknown as Database, { userId: input.id, reason: "password-change", except: input.keepSession });
    const action = input.actor.id === user.id ? "user.password_change" : "user.password_reset";
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action, target: user.email, details: { userId: user.id, sessionsEnded: ended } });
    return ended;
  });
}
