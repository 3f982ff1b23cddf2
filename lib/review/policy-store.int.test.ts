import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { DEFAULT_ROUTING_POLICY } from "@/lib/review/default-policy";
import { listAuditEvents, verifyAuditChain } from "@/db/queries/audit";
import { getCurrentRoutingPolicy, listRoutingPolicyVersions, RoutingPolicyConflictError, saveRoutingPolicy } from "./policy-store";
import { createUser } from "@/db/queries/users";

let t: TestDatabase;
let admin: { id: string; email: string };
beforeAll(async () => {
  t = await createTestDatabase();
  const user = await createUser(t.db, { email: "policy-admin@x.test", name: "Pat", role: "admin", passwordHash: "x", actor: { id: null, email: "test" } });
  admin = { id: user.id, email: user.email };
});
afterAll(() => t.drop());

describe("routing policy", () => {
  it("seeds the default as version 1 once, audited as policy.routing.seed", async () => {
    const [first, second] = await Promise.all([getCurrentRoutingPolicy(t.db), getCurrentRoutingPolicy(t.db)]);
    expect(first.version).toBe(1);
    expect(second.version).toBe(1);
    expect(first.policy).toEqual(DEFAULT_ROUTING_POLICY);
    expect(first.createdBy).toBeNull();
    const { rows } = await listAuditEvents(t.db, { filter: { action: "policy.routing" }, limit: 10, offset: 0 });
    expect(rows.map((r) => r.action)).toEqual(["policy.routing.seed"]);
    expect(rows[0]!.actorEmail).toBe("system");
  });

  it("saves a new version with before and after in the audit log, in one transaction", async () => {
    const current = await getCurrentRoutingPolicy(t.db);
    const changed = { ...current.policy, amountLimit: { ...current.policy.amountLimit, amount: 250 } };
    const saved = await saveRoutingPolicy(t.db, { policy: changed, actor: admin, baseVersion: 1 });
    expect(saved).toMatchObject({ version: 2, createdBy: admin.id });
    expect((await getCurrentRoutingPolicy(t.db)).policy.amountLimit.amount).toBe(250);
    const { rows } = await listAuditEvents(t.db, { filter: { action: "policy.routing.update" }, limit: 10, offset: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, actorEmail: admin.email, target: "routing" });
    expect(rows[0]!.details).toMatchObject({ version: 2, before: { amountLimit: { amount: 500 } }, after: { amountLimit: { amount: 250 } } });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it("refuses a save based on an old version and writes nothing", async () => {
    const current = await getCurrentRoutingPolicy(t.db);
    const error = await saveRoutingPolicy(t.db, { policy: current.policy, actor: admin, baseVersion: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingPolicyConflictError);
    expect((error as RoutingPolicyConflictError).latestVersion).toBe(2);
    expect((await getCurrentRoutingPolicy(t.db)).version).toBe(2);
    const { total } = await listAuditEvents(t.db, { filter: { action: "policy.routing.update" }, limit: 10, offset: 0 });
    expect(total).toBe(1);
  });

  it("refuses an invalid policy before touching the database", async () => {
    const current = await getCurrentRoutingPolicy(t.db);
    const bad = { ...current.policy, topics: [...current.policy.topics, { ...current.policy.topics[0]! }] };
    await expect(saveRoutingPolicy(t.db, { policy: bad, actor: admin })).rejects.toThrow(/used twice/);
    expect((await getCurrentRoutingPolicy(t.db)).version).toBe(2);
  });

  it("lists versions newest first with who saved them", async () => {
    const versions = await listRoutingPolicyVersions(t.db);
    expect(versions.map((v) => [v.version, v.createdByEmail])).toEqual([
      [2, admin.email],
      [1, null],
    ]);
    expect(versions[0]!.topics).toBe(DEFAULT_ROUTING_POLICY.topics.length);
  });
});
