import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ALLOWED_LICENSES, type Policy } from "@/lib/models/policy";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestAdmin } from "@/test/support/model-gate";
import { policies } from "../schema";
import { listAuditEvents, verifyAuditChain } from "./audit";
import { getCurrentModelPolicy, ModelPolicyConflictError, saveModelPolicy } from "@/lib/models/policy-store";
import { approveModel, listModelApprovals, recordModelFilesChanged } from "./models";

let t: TestDatabase;
let admin: { id: string; email: string };
beforeAll(async () => {
  t = await createTestDatabase();
  admin = await createTestAdmin(t.db);
});
afterAll(() => t.drop());

const seed: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };
const events = async (action: string) => (await listAuditEvents(t.db, { filter: { action }, limit: 50, offset: 0 })).rows;

/** Stored model policy versions, newest first. */
async function storedVersions(): Promise<number[]> {
  const rows = await t.db.select({ version: policies.version }).from(policies).where(eq(policies.kind, "models")).orderBy(desc(policies.version));
  return rows.map((r) => r.version);
}

describe("model policy", () => {
  it("seeds version 1 from the configuration once, audited, even when first asked concurrently", async () => {
    const results = await Promise.all([1, 2, 3].map(() => getCurrentModelPolicy(t.db, { seed })));
    expect(results.map((r) => [r.version, r.createdBy])).toEqual([[1, null], [1, null], [1, null]]);
    expect(results[0]?.policy).toEqual(seed);
    const again = await getCurrentModelPolicy(t.db, { seed: { ...seed, use: "research" } });
    expect(again.policy.use).toBe("commercial");
    const seeded = await events("policy.models.seed");
    expect(seeded.map((e) => [e.actorEmail, e.target, (e.details as { version: number }).version])).toEqual([["system", "models", 1]]);
    expect((await t.db.select().from(policies).where(eq(policies.kind, "models"))).length).toBe(1);
  });

  it("saves a new version with before and after in the audit log", async () => {
    const next: Policy = { use: "research", allowedLicenses: ["MIT"], locality: "any" };
    const saved = await saveModelPolicy(t.db, { policy: next, actor: admin, baseVersion: 1, details: { blocked: ["x"] } });
    expect([saved.version, saved.createdBy, saved.policy]).toEqual([2, admin.id, next]);
    expect((await getCurrentModelPolicy(t.db, { seed })).version).toBe(2);
    const [event] = await events("policy.models.update");
    expect(event).toMatchObject({ actorId: admin.id, actorEmail: "boss@x.test", target: "models" });
    expect(event?.details).toEqual({ version: 2, before: seed, after: next, blocked: ["x"] });
    expect(await storedVersions()).toEqual([2, 1]);
  });

  it("refuses a save based on an old version and writes nothing", async () => {
    const before = (await events("policy.models.update")).length;
    await expect(saveModelPolicy(t.db, { policy: seed, actor: admin, baseVersion: 1 })).rejects.toBeInstanceOf(ModelPolicyConflictError);
    await expect(saveModelPolicy(t.db, { policy: seed, actor: admin, baseVersion: 1 })).rejects.toThrow(/now version 2/);
    expect((await storedVersions()).length).toBe(2);
    expect((await events("policy.models.update")).length).toBe(before);
  });

  it("rolls the new version back when its audit event cannot be written", async () => {
    // A BigInt cannot be serialised, so the audit insert fails after the policy row was inserted.
    const details = { unserialisable: BigInt(1) } as unknown as Record<string, unknown>;
    await expect(saveModelPolicy(t.db, { policy: seed, actor: admin, details })).rejects.toThrow(/BigInt/);
    expect(await storedVersions()).toEqual([2, 1]);
    await expect(approveModel(t.db, { modelId: "rolled-back", fingerprint: "d".repeat(64), actor: admin, details })).rejects.toThrow(/BigInt/);
    expect((await listModelApprovals(t.db)).map((a) => a.modelId)).not.toContain("rolled-back");
  });

  it("refuses an invalid policy before writing", async () => {
    await expect(saveModelPolicy(t.db, { policy: { ...seed, allowedLicenses: ["MTI"] }, actor: admin })).rejects.toThrow();
    expect((await storedVersions()).length).toBe(2);
  });

  it("refuses to read a stored version that is no longer a valid policy", async () => {
    await t.db.insert(policies).values({ kind: "models", version: 3, body: { use: "personal" }, createdBy: null });
    await expect(getCurrentModelPolicy(t.db, { seed })).rejects.toThrow(/Model policy version 3 in the database is invalid/);
    await t.db.delete(policies).where(eq(policies.version, 3));
  });
});

describe("model approvals", () => {
  it("records an approval with its fingerprint, then replaces it on re-approval, each audited", async () => {
    const first = await approveModel(t.db, { modelId: "gen", fingerprint: "a".repeat(64), actor: admin, details: { license: "MIT" } });
    expect(first).toMatchObject({ modelId: "gen", fingerprint: "a".repeat(64), by: "boss@x.test" });
    const second = await approveModel(t.db, { modelId: "gen", fingerprint: "b".repeat(64), actor: admin });
    await approveModel(t.db, { modelId: "embed", fingerprint: "c".repeat(64), actor: admin });
    expect((await listModelApprovals(t.db)).map((a) => [a.modelId, a.fingerprint, a.by])).toEqual([
      ["embed", "c".repeat(64), "boss@x.test"],
      ["gen", "b".repeat(64), "boss@x.test"],
    ]);
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(Date.parse(first.at));
    const approvals = (await events("model.approve")).reverse();
    expect(approvals.map((e) => [e.target, e.actorEmail])).toEqual([["gen", "boss@x.test"], ["gen", "boss@x.test"], ["embed", "boss@x.test"]]);
    expect(approvals[0]?.details).toEqual({ fingerprint: "a".repeat(64), previous: null, license: "MIT" });
    expect(approvals[1]?.details).toEqual({ fingerprint: "b".repeat(64), previous: { fingerprint: "a".repeat(64), by: "boss@x.test", at: first.at } });
  });

  it("audits files changed on disk as the system, one event per model", async () => {
    const file = { path: "gen.gguf", status: "hash-mismatch" as const, expectedSha256: "a".repeat(64), actualSha256: "b".repeat(64), expectedSize: 5, actualSize: 5 };
    await recordModelFilesChanged(t.db, {
      changes: [
        { modelId: "gen", files: [file], allowed: false, clause: "hash-mismatch", message: "refused" },
        { modelId: "embed", files: [{ ...file, path: "embed.onnx", status: "ok" }], allowed: true },
      ],
    });
    await recordModelFilesChanged(t.db, { changes: [] });
    const changed = (await events("model.files_changed")).reverse();
    expect(changed.map((e) => [e.target, e.actorId, e.actorEmail, (e.details as { allowed: boolean }).allowed])).toEqual([
      ["gen", null, "system", false],
      ["embed", null, "system", true],
    ]);
    expect(changed[0]?.details).toEqual({ files: [file], allowed: false, clause: "hash-mismatch", message: "refused" });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
