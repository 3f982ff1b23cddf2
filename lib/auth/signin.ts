/** Checking a sign-in: rate limit, password, active flag; every outcome is audited. */
import { z } from "zod";
import type { Database } from "@/db/client";
import { countFailedSignIns, recordAuditEvent } from "@/db/queries/audit";
import { getUserByEmail } from "@/db/queries/users";
import type { Role } from "@/db/schema";
import { dummyPasswordHash, verifyPassword } from "./password";

export const SIGNIN_WINDOW_MS = 15 * 60_000;
export const SIGNIN_MAX_FAILURES = 10;

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Minutes until the email may try again, or 0 when it is not limited. */
export async function signInRetryAfterSeconds(db: Database, email: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - SIGNIN_WINDOW_MS);
  const failures = await countFailedSignIns(db, { email, since });
  if (failures < SIGNIN_MAX_FAILURES) return 0;
  return Math.ceil(SIGNIN_WINDOW_MS / 1000);
}

export async function recordRateLimited(db: Database, email: string, ip: string | undefined): Promise<void> {
  await recordAuditEvent(db, { actorEmail: email, action: "auth.signin.rate_limited", target: email, details: { ip: ip ?? null } });
}

export async function checkCredentials(
  db: Database,
  input: { email: string; password: string; ip?: string },
): Promise<SignedInUser | null> {
  const user = await getUserByEmail(db, { email: input.email });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  const reason = !user ? "unknown email" : !ok ? "wrong password" : !user.active ? "account deactivated" : null;
  if (reason || !user) {
    await recordAuditEvent(db, {
      actorId: user?.id ?? null,
      actorEmail: input.email,
      action: "auth.signin.failure",
      target: input.email,
      details: { reason, ip: input.ip ?? null },
    });
    return null;
  }
  await recordAuditEvent(db, { actorId: user.id, actorEmail: user.email, action: "auth.signin.success", target: user.email, details: { ip: input.ip ?? null } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
