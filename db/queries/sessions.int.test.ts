import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createSession, getSession, revokeSession, revokeUserSessions } from "./sessions";
import { createUser, setPasswordHash, SYSTEM_ACTOR, updateUser } from "./users";

let t: TestDatabase;
let userId: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await createUser(t.db, { email: "s@x.test", name: "S", role: "agent", passwordHash: "x", actor: SYSTEM_ACTOR })).id;
});
afterAll(() => t.drop());

describe("sessions", () => {
  it("is live until it expires, and belongs to its user only", async () => {
    const sid = await createSession(t.db, { userId, maxAgeMs: HOUR });
    expect(await getSession(t.db, { sessionId: sid, userId })).toMatchObject({ state: "live", user: { email: "s@x.test", role: "agent" } });
    expect(await getSession(t.db, { sessionId: sid, userId, now: new Date(Date.now() + 2 * HOUR) })).toMatchObject({ state: "expired" });
    expect(await getSession(t.db, { sessionId: sid, userId: "00000000-0000-4000-8000-000000000000" })).toBeUndefined();
  });

  it("ends one session on sign-out and every session on sign-out everywhere", async () => {
    const [a, b, c] = [await createSession(t.db, { userId, maxAgeMs: HOUR }), await createSession(t.db, { userId, maxAgeMs: HOUR }), await createSession(t.db, { userId, maxAgeMs: HOUR })];
    await revokeSession(t.db, { sessionId: a, reason: "sign-out" });
    expect((await getSession(t.db, { sessionId: a, userId }))?.state).toBe("sign-out");
    expect((await getSession(t.db, { sessionId: b, userId }))?.state).toBe("live");
    expect(await revokeUserSessions(t.db, { userId, reason: "sign-out-everywhere" })).toBeGreaterThanOrEqual(2);
    for (const sid of [b, c]) expect((await getSession(t.db, { sessionId: sid, userId }))?.state).toBe("sign-out-everywhere");
  });

  it("ends a user's sessions when they are deactivated, so reactivation does not revive an old cookie", async () => {
    const sid = await createSession(t.db, { userId, maxAgeMs: HOUR });
    await updateUser(t.db, { id: userId, active: false, actor: SYSTEM_ACTOR });
    await updateUser(t.db, { id: userId, active: true, actor: SYSTEM_ACTOR });
    expect(await getSession(t.db, { sessionId: sid, userId })).toMatchObject({ state: "deactivated", user: { active: true } });
  });

  it("drops a user's sessions that ended more than a day ago when they sign in again", async () => {
    const old = await createSession(t.db, { userId, maxAgeMs: HOUR, now: new Date(Date.now() - 3 * 86_400_000) });
    await createSession(t.db, { userId, maxAgeMs: HOUR });
    expect(await getSession(t.db, { sessionId: old, userId })).toBeUndefined();
  });

  it("a password change ends every other session, keeps the one that changed it, and is audited", async () => {
    const [here, elsewhere] = [await createSession(t.db, { userId, maxAgeMs: HOUR }), await createSession(t.db, { userId, maxAgeMs: HOUR })];
    expect(await setPasswordHash(t.db, { id: userId, passwordHash: "new-hash", keepSession: here, actor: { id: userId, email: "s@x.test" } })).toBeGreaterThanOrEqual(1);
    expect((await getSession(t.db, { sessionId: here, userId }))?.state).toBe("live");
    expect((await getSession(t.db, { sessionId: elsewhere, userId }))?.state).toBe("password-change");
    expect(await t.sql`select action from audit_events where action = 'user.password_change'`).toHaveLength(1);
  });
});
