import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/db/queries/audit";
import { AppError } from "@/lib/errors";
import { modelFingerprint } from "@/lib/models/approval";
import { DEFAULT_ALLOWED_LICENSES, type Policy } from "@/lib/models/policy";
import { entry, manifestOf } from "@/test/support/models";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestAdmin, openTestGate } from "@/test/support/model-gate";
import { approveModelAsAdmin, previewPolicy, savePolicyAsAdmin } from "./admin";
import type { ModelGate } from "./model-gate";

const seed: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };
const dir = mkdtempSync(path.join(tmpdir(), "vouch-admin-models-"));
const weights = (id: string) => `${id} weights`;
const files = (id: string) => {
  writeFileSync(path.join(dir, `${id}.bin`), weights(id));
  return [{ path: `${id}.bin`, sha256: createHash("sha256").update(weights(id)).digest("hex"), size: weights(id).length }];
};
const apache = entry({ id: "apache-gen", license: { id: "Apache-2.0" }, files: files("apache-gen") });
const pending = entry({ id: "pending-embed", role: "embedding", format: "onnx", approval: null, files: files("pending-embed") });

let t: TestDatabase;
let gate: ModelGate;
let admin: { id: string; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await createTestAdmin(t.db);
  const manifestFile = path.join(dir, "manifest.json");
  writeFileSync(manifestFile, JSON.stringify(manifestOf(apache, pending)));
  gate = await openTestGate(t.db, { modelsDir: dir, dataDir: dir });
});
afterAll(async () => {
  gate.stop();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function appError(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}
const actions = async () => (await listAuditEvents(t.db, { filter: {}, limit: 50, offset: 0 })).rows.map((r) => r.action).reverse();

describe("Admin › Models actions on a live gate", () => {
  it("starts from the seeded policy, with the unapproved embedder refused", () => {
    const s = gate.status();
    expect([s.policyVersion, s.policy]).toEqual([1, seed]);
    expect(s.roles.map((r) => [r.role, r.allowed])).toEqual([["generation", true], ["embedding", false]]);
  });

  it("approves exactly the entry reviewed, audited, and the role is allowed at once", async () => {
    expect(await appError(approveModelAsAdmin(t.db, gate, admin, { modelId: "pending-embed", fingerprint: "0".repeat(64) }))).toEqual({
      code: "conflict:models",
      message: 'The manifest entry of "pending-embed" changed since you opened the page. Reload the page and review it again before approving.',
    });
    expect((await appError(approveModelAsAdmin(t.db, gate, admin, { modelId: "ghost", fingerprint: "0".repeat(64) }))).code).toBe("not_found:models");

    const result = await approveModelAsAdmin(t.db, gate, admin, { modelId: "pending-embed", fingerprint: modelFingerprint(pending) });
    expect(result.decision).toEqual({ modelId: "pending-embed", role: "embedding", allowed: true, clause: undefined, message: undefined });
    expect(gate.assertRoleAllowed("embedding")[0]?.approval?.by).toBe("boss@x.test");

    const again = await appError(approveModelAsAdmin(t.db, gate, admin, { modelId: "pending-embed", fingerprint: modelFingerprint(pending) }));
    expect(again.code).toBe("conflict:models");
    expect(again.message).toMatch(/^"pending-embed" is already approved \(by boss@x\.test at /);
    expect((await appError(approveModelAsAdmin(t.db, gate, admin, { modelId: "apache-gen", fingerprint: modelFingerprint(apache) }))).message).toBe(
      '"apache-gen" is already approved (by admin@example.com at 2026-11-01T10:00:00Z).',
    );
    expect((await actions()).filter((a) => a === "model.approve")).toHaveLength(1);
  });

  it("previews a change, refuses to save a block the admin did not confirm, then saves and refuses the model", async () => {
    const proposed: Policy = { ...seed, allowedLicenses: ["MIT"] };
    expect(previewPolicy(gate, proposed)).toEqual({
      unchanged: false,
      blocked: [
        {
          modelId: "apache-gen",
          role: "generation",
          clause: "license-not-allowed",
          message:
            'Model "apache-gen" (generation) is refused: its license Apache-2.0 is not in the policy\'s allowed licenses (MIT). Fix: after legal review, add Apache-2.0 to the allowed licenses in Admin › Models › Policy, or disable the model.',
        },
      ],
    });
    expect(previewPolicy(gate, { ...seed, use: "internal" })).toEqual({ unchanged: false, blocked: [] });
    expect(previewPolicy(gate, seed)).toEqual({ unchanged: true, blocked: [] });

    expect(await appError(savePolicyAsAdmin(t.db, gate, admin, { policy: proposed, baseVersion: 1, confirmBlocked: [] }))).toEqual({
      code: "conflict:models",
      message: 'This change would block "apache-gen", which the preview you confirmed did not list. Check the preview again before saving.',
    });
    expect(await appError(savePolicyAsAdmin(t.db, gate, admin, { policy: seed, baseVersion: 1, confirmBlocked: [] }))).toEqual({
      code: "bad_request:models",
      message: "The policy is unchanged; there is nothing to save.",
    });
    expect(gate.status().policyVersion).toBe(1);

    const { saved, blocked } = await savePolicyAsAdmin(t.db, gate, admin, { policy: proposed, baseVersion: 1, confirmBlocked: ["apache-gen"] });
    expect([saved.version, blocked.map((b) => b.modelId)]).toEqual([2, ["apache-gen"]]);
    expect(gate.status().policyVersion).toBe(2);
    expect(() => gate.assertRoleAllowed("generation")).toThrow(/is not in the policy's allowed licenses \(MIT\)/);
  });

  it("refuses a save made on top of an older version", async () => {
    expect(await appError(savePolicyAsAdmin(t.db, gate, admin, { policy: seed, baseVersion: 1, confirmBlocked: [] }))).toEqual({
      code: "conflict:models",
      message: "The model policy was changed by someone else (now version 2). Reload the page, review the change and try again.",
    });
    expect(await actions()).toEqual(["user.create", "policy.models.seed", "model.approve", "policy.models.update"]);
  });

  it("audits a model file changed on disk and refuses its role", async () => {
    writeFileSync(path.join(dir, "pending-embed.bin"), "tampered");
    await gate.recheckFiles();
    expect(() => gate.assertRoleAllowed("embedding")).toThrow(/its file pending-embed\.bin is 8 bytes, but the manifest records 21/);
    const [event] = (await listAuditEvents(t.db, { filter: { action: "model.files_changed" }, limit: 5, offset: 0 })).rows;
    expect(event).toMatchObject({ actorEmail: "system", target: "pending-embed", details: { allowed: false, clause: "size-mismatch" } });
  });
});
