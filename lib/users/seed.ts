/** First-start users: the configured admin, or one demo user per role (credentials printed once). */
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { countUsers, createUser, getUserByEmail, SYSTEM_ACTOR } from "@/db/queries/users";
import { appState, type Role } from "@/db/schema";
import { hashPassword, passwordProblem } from "@/lib/auth/password";

export interface SeedConfig {
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
  DEMO_MODE: "auto" | "on" | "off";
}

export interface SeedResult {
  createdAdmin?: string;
  demoUsers?: { email: string; password: string; role: Role }[];
  demoMode: boolean;
}

const DEMO_KEY = "demo_seeded";

export async function seedUsers(db: Database, config: SeedConfig): Promise<SeedResult> {
  if (config.ADMIN_EMAIL || config.ADMIN_PASSWORD) {
    if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) throw new Error("Set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither.");
    const problem = passwordProblem(config.ADMIN_PASSWORD);
    if (problem) throw new Error(`ADMIN_PASSWORD is too short. ${problem}`);
    if (await getUserByEmail(db, { email: config.ADMIN_EMAIL })) return { demoMode: await isDemo(db) };
    const user = await createUser(db, {
      email: config.ADMIN_EMAIL,
      name: "Administrator",
      role: "admin",
      passwordHash: await hashPassword(config.ADMIN_PASSWORD),
      actor: SYSTEM_ACTOR,
    });
    return { createdAdmin: user.email, demoMode: await isDemo(db) };
  }
  const wantDemo = config.DEMO_MODE === "on" || (config.DEMO_MODE === "auto" && (await countUsers(db)) === 0);
  if (!wantDemo || (await isDemo(db))) return { demoMode: await isDemo(db) };
  const demoUsers: NonNullable<SeedResult["demoUsers"]> = [];
  for (const role of ["admin", "reviewer", "agent"] as const) {
    const email = `${role}@demo.vouch`;
    if (await getUserByEmail(db, { email })) continue;
    const password = crypto.randomBytes(12).toString("base64url");
    const name = { admin: "Ada Admin", reviewer: "Rita Reviewer", agent: "Sam Agent" }[role];
    await createUser(db, { email, name, role, passwordHash: await hashPassword(password), actor: SYSTEM_ACTOR });
    demoUsers.push({ email, password, role });
  }
  await db.insert(appState).values({ key: DEMO_KEY, value: { at: new Date().toISOString() } }).onConflictDoNothing();
  return { demoUsers, demoMode: true };
}

async function isDemo(db: Database): Promise<boolean> {
  const [row] = await db.select().from(appState).where(eq(appState.key, DEMO_KEY));
  return !!row;
}

export function formatDemoCredentials(users: NonNullable<SeedResult["demoUsers"]>): string {
  const lines = users.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(22)} ${u.password}`);
  return [
    "",
    "Demo mode: one user per role was created. These passwords are shown only once:",
    ...lines,
    "Set ADMIN_EMAIL and ADMIN_PASSWORD (or run `npm run user:add`) for a real installation.",
    "",
  ].join("\n");
}
