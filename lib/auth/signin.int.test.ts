import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { listAuditEvents } from "@/db/queries/audit";
import { adminCreateUser, adminUpdateUser } from "@/lib/users/admin";
import { checkCredentials, SIGNIN_MAX_FAILURES, signInRetryAfterSeconds } from "./signin";

let t: TestDatabase;
let userId: string;
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "root@x.test" };
beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await adminCreateUser(t.db, actor, { email: "agent@x.test", name: "Agent", role: "agent", password: "correct-horse-battery" })).id;
});
afterAll(() => t.drop());

describe("sign-in", () => {
  it("accepts the right password and audits the success", async () => {
    expect(await checkCredentials(t.db, { email: "agent@x.test", password: "correct-horse-battery" })).toEqual({
      id: userId, email: "agent@x.test", name: "Agent", role: "agent",
    });
    const { rows } = await listAuditEvents(t.db, { filter: { action: "auth.signin" }, limit: 1, offset: 0 });
    expect(rows[0]).toMatchObject({ action: "auth.signin.success", target: "agent@x.test" });
  });

  it("refuses a wrong password, an unknown email and a deactivated account, auditing each reason", async () => {
    expect(await checkCredentials(t.db, { email: "agent@x.test", password: "wrong-password!" })).toBeNull();
    expect(await checkCredentials(t.db, { email: "nobody@x.test", password: "whatever-password" })).toBeNull();
    await adminUpdateUser(t.db, actor, userId, { active: false });
    expect(await checkCredentials(t.db, { email: "agent@x.test", password: "correct-horse-battery" })).toBeNull();
    await adminUpdateUser(t.db, actor, userId, { active: true });
    const { rows } = await listAuditEvents(t.db, { filter: { action: "auth.signin.failure" }, limit: 10, offset: 0 });
    expect(rows.map((r) => r.details.reason)).toEqual(["account deactivated", "unknown email", "wrong password"]);
    const json = JSON.stringify(rows);
    expect(json).not.toContain("wrong-password!");
    expect(json).not.toContain("correct-horse-battery");
  });

  it("limits an email after more than 10 failures within 15 minutes, and frees it after the window", async () => {
    const email = "target@x.test";
    for (let i = 0; i < SIGNIN_MAX_FAILURES - 1; i++) await checkCredentials(t.db, { email, password: `guess-${i}` });
    expect(await signInRetryAfterSeconds(t.db, email)).toBe(0);
    await checkCredentials(t.db, { email, password: "guess-last" });
    expect(await signInRetryAfterSeconds(t.db, email)).toBe(900);
    expect(await signInRetryAfterSeconds(t.db, "other@x.test")).toBe(0);
    expect(await signInRetryAfterSeconds(t.db, email, new Date(Date.now() + 16 * 60_000))).toBe(0);
  });
});
