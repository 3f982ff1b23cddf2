/** User administration rules on top of the queries: no self-lockout, clear conflicts. */
import type { Database } from "@/db/client";
import { createUser, getUserById, setPasswordHash, updateUser, UserConflictError } from "@/db/queries/users";
import type { Role, User } from "@/db/schema";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";

export interface AdminActor {
  id: string;
  email: string;
}

export const userNotFound = () => new AppError("not_found:users", "That user does not exist.");

export function publicUser(u: User) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, active: u.active, createdAt: u.createdAt.toISOString() };
}

export async function adminCreateUser(db: Database, actor: AdminActor, input: { email: string; name: string; role: Role; password: string }) {
  try {
    const user = await createUser(db, { ...input, passwordHash: await hashPassword(input.password), actor });
    return publicUser(user);
  } catch (error) {
    if (error instanceof UserConflictError) throw new AppError("conflict:users", error.message);
    throw error;
  }
}

export async function adminUpdateUser(db: Database, actor: AdminActor, id: string, changes: { role?: Role; active?: boolean; name?: string }) {
  // An admin who demotes or deactivates themselves could leave nobody able to undo it.
  if (id === actor.id && (changes.active === false || (changes.role && changes.role !== "admin"))) {
    throw new AppError("conflict:users", "You can't deactivate your own account or remove your own admin role.");
  }
  const user = await updateUser(db, { id, ...changes, actor });
  if (!user) throw userNotFound();
  return publicUser(user);
}

/**
 * Sets another user's password (they forgot theirs, or it leaked): every session of theirs ends,
 * and the reset is audited. The admin passes the new password on; the user can change it on /account.
 */
export async function adminSetPassword(db: Database, actor: AdminActor, id: string, password: string): Promise<{ sessionsEnded: number }> {
  // Your own password needs your current one, on /account.
  if (id === actor.id) throw new AppError("conflict:users", "Change your own password on the Your account page.");
  const problem = passwordProblem(password);
  if (problem) throw new AppError("bad_request:users", problem);
  if (!(await getUserById(db, { id }))) throw userNotFound();
  return { sessionsEnded: await setPasswordHash(db, { id, passwordHash: await hashPassword(password), actor }) };
}
