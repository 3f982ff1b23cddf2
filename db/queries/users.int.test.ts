import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/auth/password";
import { adminCreateUser, adminSetPassword, adminUpdateUser } from "@/lib/users/admin";
import { seedUsers } from "@/lib/users/seed";
import { listAuditEvents, verifyAuditChain } from "./audit";
import { createSession, getSession } from "./sessions";
import { getUserByEmail, listUsers } from "./users";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const admin = { id: "00000000-0000-4000-8000-000000000001", email: "root@x.test" };

describe("users", () => {
  it("seeds one demo user per role once, and not again", async () => {
    const first = await seedUsers(t.db, { DEMO_MODE: "auto" });
    expect(first.demoUsers?.map((u) => u.role)).toEqual(["admin", "reviewer", "agent"]);
    expect(first.demoUsers?.every((u) => u.password.length >= 12)).toBe(true);
    const second = await seedUsers(t.db, { DEMO_MODE: "auto" });
    expect(second).toEqual({ demoMode: true });
    expect((await listUsers(t.db)).length).toBe(3);
  });

  it("creates the configured admin and refuses a short ADMIN_PASSWORD", async () => {
    await expect(seedUsers(t.db, { DEMO_MODE: "auto", ADMIN_EMAIL: "boss@x.test", ADMIN_PASSWORD: "short" })).rejects.toThrow(/at least 12/);
    const result = await seedUsers(t.db, { DEMO_MODE: "auto", ADMIN_EMAIL: "boss@x.test", ADMIN_PASSWORD: "long-enough-password" });
    expect(result.createdAdmin).toBe("boss@x.test");
    expect((await getUserByEmail(t.db, { email: "BOSS@x.test" }))?.role).toBe("admin");
  });

  it("creates users, refusing a duplicate email whatever its case", async () => {
    const user = await adminCreateUser(t.db, admin, { email: "new@x.test", name: "New", role: "agent", password: "a-good-password" });
    expect(user).toMatchObject({ email: "new@x.test", role: "agent", active: true });
    await expect(adminCreateUser(t.db, admin, { email: "NEW@x.test", name: "Dup", role: "agent", password: "a-good-password" })).rejects.toMatchObject({
      code: "conflict:users",
    });
  });

  it("changes roles and deactivates with before/after in the audit log", async () => {
    const u = (await getUserByEmail(t.db, { email: "new@x.test" }))!;
    await adminUpdateUser(t.db, admin, u.id, { role: "reviewer" });
    await adminUpdateUser(t.db, admin, u.id, { active: false });
    await adminUpdateUser(t.db, admin, u.id, { active: true });
    const { rows } = await listAuditEvents(t.db, { filter: { action: "user." }, limit: 3, offset: 0 });
    expect(rows.map((r) => r.action)).toEqual(["user.reactivate", "user.deactivate", "user.role_change"]);
    expect(rows[2]!.details).toMatchObject({ before: { role: "agent" }, after: { role: "reviewer" } });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it("stops an admin from locking themselves out, and names a missing user", async () => {
    const boss = (await getUserByEmail(t.db, { email: "boss@x.test" }))!;
    const me = { id: boss.id, email: boss.email };
    await expect(adminUpdateUser(t.db, me, boss.id, { active: false })).rejects.toThrow(/your own account/);
    await expect(adminUpdateUser(t.db, me, boss.id, { role: "agent" })).rejects.toBeInstanceOf(AppError);
    await expect(adminUpdateUser(t.db, me, "00000000-0000-4000-8000-00000000abcd", { role: "agent" })).rejects.toMatchObject({ code: "not_found:users" });
  });

  it("lets an admin set another user's password: their sessions end, the reset is audited, the new password works", async () => {
    const u = (await getUserByEmail(t.db, { email: "new@x.test" }))!;
    const sessions = [await createSession(t.db, { userId: u.id, maxAgeMs: 3_600_000 }), await createSession(t.db, { userId: u.id, maxAgeMs: 3_600_000 })];
    expect(await adminSetPassword(t.db, admin, u.id, "a-brand-new-password")).toEqual({ sessionsEnded: 2 });
    for (const sid of sessions) expect((await getSession(t.db, { sessionId: sid, userId: u.id }))?.state).toBe("password-change");
    const after = (await getUserByEmail(t.db, { email: "new@x.test" }))!;
    expect(await verifyPassword(after.passwordHash, "a-brand-new-password")).toBe(true);
    const { rows } = await listAuditEvents(t.db, { filter: { action: "user.password" }, limit: 1, offset: 0 });
    expect(rows[0]).toMatchObject({ action: "user.password_reset", actorEmail: admin.email, target: "new@x.test", details: { userId: u.id, sessionsEnded: 2 } });
  });

  it("refuses an admin's own password (that needs the current one), a short one, and a missing user", async () => {
    const boss = (await getUserByEmail(t.db, { email: "boss@x.test" }))!;
    const me = { id: boss.id, email: boss.email };
    await expect(adminSetPassword(t.db, me, boss.id, "a-brand-new-password")).rejects.toThrow(/Your account/);
    const u = (await getUserByEmail(t.db, { email: "new@x.test" }))!;
    await expect(adminSetPassword(t.db, me, u.id, "short")).rejects.toMatchObject({ code: "bad_request:users" });
    await expect(adminSetPassword(t.db, me, "00000000-0000-4000-8000-00000000abcd", "a-brand-new-password")).rejects.toMatchObject({ code: "not_found:users" });
  });
});
