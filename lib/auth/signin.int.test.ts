import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { listAuditEvents } from "@/db/queries/audit";
import { adminCreateUser, adminUpdateUser } from "@/lib/users/admin";
import { checkCredentials, SIGNIN_THROTTLE, signInRetryAfterSeconds, throttleDelaySeconds } from "./signin";

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

  it("throttles an email with growing delays after five failures, up to two minutes, never a lockout", async () => {
    const email = "target@x.test";
    for (let i = 0; i < 5; i++) await checkCredentials(t.db, { email, password: `guess-${i}` });
    expect(await signInRetryAfterSeconds(t.db, { email })).toBe(0);
    for (let i = 5; i < 8; i++) await checkCredentials(t.db, { email, password: `guess-${i}` });
    // 8 failures: 2^(8-5-1) = 4 s after the last one.
    const wait = await signInRetryAfterSeconds(t.db, { email });
    expect(wait).toBeGreaterThanOrEqual(3);
    expect(wait).toBeLessThanOrEqual(4);
    expect(await signInRetryAfterSeconds(t.db, { email }, new Date(Date.now() + 5_000))).toBe(0);
    expect(await signInRetryAfterSeconds(t.db, { email: "other@x.test" })).toBe(0);
    for (let i = 8; i < 30; i++) await checkCredentials(t.db, { email, password: `guess-${i}` });
    expect(await signInRetryAfterSeconds(t.db, { email })).toBeLessThanOrEqual(SIGNIN_THROTTLE.email.capSeconds);
    expect(await signInRetryAfterSeconds(t.db, { email })).toBeGreaterThan(SIGNIN_THROTTLE.email.capSeconds - 10);
    // Failures older than the window are forgotten.
    expect(await signInRetryAfterSeconds(t.db, { email }, new Date(Date.now() + 16 * 60_000))).toBe(0);
  });

  it("throttles an address that tries many emails, and not other addresses", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < SIGNIN_THROTTLE.ip.free + 3; i++) await checkCredentials(t.db, { email: `spray${i}@x.test`, password: "Winter2026!", ip });
    expect(await signInRetryAfterSeconds(t.db, { email: "fresh@x.test", ip })).toBeGreaterThan(0);
    expect(await signInRetryAfterSeconds(t.db, { email: "fresh@x.test", ip: "198.51.100.2" })).toBe(0);
    expect(await signInRetryAfterSeconds(t.db, { email: "fresh@x.test" })).toBe(0);
  });
});

describe("throttleDelaySeconds", () => {
  it("is free for the first failures, then doubles up to the cap", () => {
    const rule = { free: 5, capSeconds: 120 };
    expect([0, 5, 6, 7, 8, 12, 13, 40].map((n) => throttleDelaySeconds(n, rule))).toEqual([0, 0, 1, 2, 4, 64, 120, 120]);
  });
});
