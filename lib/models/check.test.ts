import { describe, expect, it } from "vitest";
import { modelFingerprint } from "./approval";
import { decideModels, previewPolicyChange } from "./check";
import { DEFAULT_ALLOWED_LICENSES, evaluateModels, policySchema, type Policy } from "./policy";
import { entry, manifestOf, okChecks } from "../../test/support/models";

const policy: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };

describe("decideModels", () => {
  it("applies stored approvals before deciding, and summarises roles", () => {
    const gen = entry({ id: "gen", approval: null });
    const manifest = manifestOf(entry({ id: "embedder", role: "embedding" }), gen);
    const approvals = [{ modelId: "gen", fingerprint: modelFingerprint(gen), by: "ops@example.com", at: "2026-11-20T09:00:00Z" }];
    const without = decideModels(manifest, policy, okChecks(manifest));
    const withApproval = decideModels(manifest, policy, okChecks(manifest), approvals);
    expect(without.roles.map((r) => [r.role, r.allowed])).toEqual([["embedding", true], ["generation", false]]);
    expect(withApproval.roles.map((r) => [r.role, r.allowed])).toEqual([["embedding", true], ["generation", true]]);
  });
});

describe("previewPolicyChange", () => {
  it("lists the enabled models a stricter policy would block, with the reason", () => {
    const manifest = manifestOf(
      entry({ id: "apache", license: { id: "Apache-2.0" } }),
      entry({ id: "mit" }),
      entry({ id: "off", enabled: false, license: { id: "Apache-2.0" } }),
    );
    const blocked = previewPolicyChange(manifest, okChecks(manifest), policy, { ...policy, allowedLicenses: ["MIT"] });
    expect(blocked.map((d) => [d.modelId, d.clause])).toEqual([["apache", "license-not-allowed"]]);
  });
});

describe("policySchema and use", () => {
  it("validates a policy edited by an admin", () => {
    expect(policySchema.safeParse({ use: "internal", allowedLicenses: ["MIT", "LicenseRef-llama3.2"], locality: "any" }).success).toBe(true);
    const bad = policySchema.safeParse({ use: "internal", allowedLicenses: ["MTI"], locality: "any" });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["allowedLicenses.0", 'must be an SPDX license id or "LicenseRef-…"'],
    ]);
  });

  it("refuses a non-commercial license for internal use too", () => {
    const manifest = manifestOf(
      entry({
        id: "nc",
        license: { id: "CC-BY-NC-4.0" },
        permits: { commercialUse: false, modification: true, redistributionOfWeights: true, redistributionOfDerivatives: true },
      }),
    );
    const [d] = evaluateModels(manifest, { use: "internal", allowedLicenses: ["CC-BY-NC-4.0"], locality: "on-premises" }, okChecks(manifest));
    expect(d?.clause).toBe("commercial-use");
  });
});
