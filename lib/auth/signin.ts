/** Checking a sign-in: throttling, password, active flag; every outcome is audited. */
import { z } from "zod";
import type { Database } from "@/db/client";
import { failedSignIns, recordAuditEvent } from "@/db/queries/audit";
import { getUserByEmail } from "@/db/queries/users";
import type { Role } from "@/db/schema";
import { dummyPasswordHash, verifyPassword } from "./password";

/**
 * Throttling, not locking (OWASP ASVS 2.2.1): after a few failures each further attempt for the
 * same email, or from the same address, must wait twice as long as the last, up to a cap. An
 * attacker guessing one account gets a few dozen tries an hour; its owner waits two minutes at
 * most, never a lockout. Failures older than the window are forgotten.
 */
export const SIGNIN_THROTTLE = {
  windowMs: 15 * 60_000,
  email: { free: 5, capSeconds: 120 },
  ip: { free: 20, capSeconds: 600 },
};

/** Seconds to wait after `failures` failures (the first `free` cost nothing). */
export function throttleDelaySeconds(failures: number, rule: { free: number; capSeconds: number }): number {
  return failures <= rule.free ? 0 : Math.min(rule.capSeconds, 2 ** (failures - rule.free - 1));
}

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

/** Seconds until this email, from this address, may try again (0: now). */
export async function signInRetryAfterSeconds(db: Database, who: { email: string; ip?: string }, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - SIGNIN_THROTTLE.windowMs);
  const [byEmail, byIp] = await Promise.all([failedSignIns(db, { email: who.email }, since), who.ip ? failedSignIns(db, { ip: who.ip }, since) : undefined]);
  const wait = (failures: { count: number; last: Date | null } | undefined, rule: { free: number; capSeconds: number }) =>
    failures?.last ? failures.last.getTime() + throttleDelaySeconds(failures.count, rule) * 1000 - now.getTime() : 0;
  const ms = Math.max(wait(byEmail, SIGNIN_THROTTLE.email), wait(byIp, SIGNIN_THROTTLE.ip), 0);
  return Math.ceil(ms / 1000);
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
