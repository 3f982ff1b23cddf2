import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { AppError } from "@/lib/errors";
import { adminCreateUser, adminUpdateUser } from "@/lib/users/admin";
import { seedUsers } from "@/lib/users/seed";
import { listAuditEvents, verifyAuditChain } from "./audit";
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
});
