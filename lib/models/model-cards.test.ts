import { describe, expect, it } from "vitest";
import { modelFingerprint } from "@/lib/models/approval";
import { decideModels } from "@/lib/models/check";
import { DEFAULT_ALLOWED_LICENSES, type Policy } from "@/lib/models/policy";
import { entry, manifestOf, okChecks, SHA_B } from "@/test/support/models";
import type { StoredApproval } from "@/lib/models/approval";
import { buildModelCards, licenseChoices, licenseUrl, samePolicy, sourceUrl } from "./model-cards";
import type { ModelGateStatus } from "./model-gate";
import { policyInputSchema, savePolicyBodySchema } from "./schemas";

const policy: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };

function statusOf(manifest: ReturnType<typeof manifestOf>, approvals: StoredApproval[] = [], checks = okChecks(manifest)): ModelGateStatus {
  const result = decideModels(manifest, policy, checks, approvals);
  return {
    manifestFile: "/models/manifest.json",
    manifest,
    approvedManifest: result.manifest,
    policy,
    policyVersion: 1,
    approvals,
    checks,
    decisions: result.decisions,
    roles: result.roles,
    verifiedAt: "2026-11-27T01:00:00.000Z",
    decidedAt: "2026-11-27T01:00:00.000Z",
  };
}

describe("buildModelCards", () => {
  const fromManifest = entry({ id: "shipped" });
  const pending = entry({ id: "pending", approval: null, license: { id: "Apache-2.0" }, source: "npm:some-pkg@1.2.3" });
  const stale = entry({ id: "stale", approval: null, enabled: false, files: [{ path: "stale.gguf", sha256: "unknown", size: 0 }] });
  const llama = entry({
    id: "llama",
    enabled: false,
    approval: null,
    license: { id: "LicenseRef-llama3.2", name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/" },
    obligations: {
      attribution: "Llama 3.2 is licensed under the Llama 3.2 Community License.",
      useRestrictions: [{ text: "Acceptable use policy applies.", flags: ["acceptable-use-policy"], url: "https://www.llama.com/llama3_2/use-policy/" }],
    },
  });
  const manifest = manifestOf(fromManifest, pending, stale, llama);
  const approvals: StoredApproval[] = [
    { modelId: "pending", fingerprint: modelFingerprint(pending), by: "boss@x.test", at: "2026-11-27T00:30:00.000Z" },
    { modelId: "stale", fingerprint: modelFingerprint({ ...stale, files: [{ path: "stale.gguf", sha256: SHA_B, size: 3 }] }), by: "old@x.test", at: "2026-11-01T00:00:00.000Z" },
  ];
  const cards = buildModelCards(statusOf(manifest, approvals, okChecks(manifestOf(fromManifest, pending))));

  it("says where each approval comes from, and flags an approval of an earlier version", () => {
    expect(cards.map((c) => [c.id, c.approval?.source ?? null, c.needsApproval, c.staleApproval?.by ?? null])).toEqual([
      ["shipped", "manifest", false, null],
      ["pending", "admin", false, null],
      ["stale", null, true, "old@x.test"],
      ["llama", null, true, null],
    ]);
    expect(cards[1]?.approval).toEqual({ by: "boss@x.test", at: "2026-11-27T00:30:00.000Z", source: "admin" });
    expect(cards[0]?.fingerprint).toBe(modelFingerprint(fromManifest));
  });

  it("shows each file's verification state, the decision, license link and restrictions", () => {
    expect(cards.map((c) => c.files.map((f) => [f.path, f.recorded, f.state]))).toEqual([
      [["shipped.gguf", true, "ok"]],
      [["pending.gguf", true, "ok"]],
      [["stale.gguf", false, "not-checked"]],
      [["llama.gguf", true, "not-checked"]],
    ]);
    expect(cards.map((c) => [c.decision.allowed, c.decision.clause ?? null])).toEqual([
      [true, null],
      [true, null],
      [false, "disabled"],
      [false, "disabled"],
    ]);
    expect(cards[3]?.license).toEqual({ id: "LicenseRef-llama3.2", name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/" });
    expect(cards[3]?.useRestrictions).toEqual([{ text: "Acceptable use policy applies.", flags: ["acceptable-use-policy"], url: "https://www.llama.com/llama3_2/use-policy/" }]);
    expect(cards[1]?.license?.url).toBe("https://spdx.org/licenses/Apache-2.0.html");
    expect(cards[1]?.sourceUrl).toBe("https://www.npmjs.com/package/some-pkg/v/1.2.3");
  });

  it("is empty when the manifest could not be loaded", () => {
    expect(buildModelCards({ ...statusOf(manifest), manifest: null, approvedManifest: null })).toEqual([]);
  });
});

describe("links and choices", () => {
  it("links licenses and sources", () => {
    expect(licenseUrl({ id: "mit" })).toBe("https://spdx.org/licenses/MIT.html");
    expect(licenseUrl({ id: "MIT", url: "https://example.com/LICENSE" })).toBe("https://example.com/LICENSE");
    expect(sourceUrl("hf:karpathy/tinyllamas")).toBe("https://huggingface.co/karpathy/tinyllamas");
    expect(sourceUrl("hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF@abc123")).toBe("https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/tree/abc123");
    expect(sourceUrl("npm:@scope/pkg@2.0.0")).toBe("https://www.npmjs.com/package/@scope/pkg/v/2.0.0");
    expect(sourceUrl("https://example.com/model.gguf")).toBe("https://example.com/model.gguf");
    expect(sourceUrl("./local/model.gguf")).toBeUndefined();
  });

  it("offers the manifest's licenses first, then the policy's others, each once", () => {
    const manifest = manifestOf(entry({ id: "a", license: { id: "Apache-2.0" } }), entry({ id: "b" }), entry({ id: "c" }));
    expect(licenseChoices({ manifest, policy: { ...policy, allowedLicenses: ["mit", "ISC"] } })).toEqual(["Apache-2.0", "MIT", "ISC"]);
    expect(licenseChoices({ manifest: null, policy: { ...policy, allowedLicenses: ["ISC"] } })).toEqual(["ISC"]);
  });

  it("compares policies with licenses as a case-insensitive set", () => {
    expect(samePolicy(policy, { ...policy, allowedLicenses: [...policy.allowedLicenses].reverse().map((l) => l.toLowerCase()) })).toBe(true);
    expect(samePolicy(policy, { ...policy, use: "research" })).toBe(false);
    expect(samePolicy(policy, { ...policy, allowedLicenses: ["MIT"] })).toBe(false);
  });
});

describe("policy input", () => {
  it("spells license ids canonically and lists each once", () => {
    expect(policyInputSchema.parse({ use: "internal", allowedLicenses: ["mit", " MIT ", "apache-2.0", "LicenseRef-gemma"], locality: "any" })).toEqual({
      use: "internal",
      allowedLicenses: ["MIT", "Apache-2.0", "LicenseRef-gemma"],
      locality: "any",
    });
  });

  it("names an unknown license id and a bad use", () => {
    const bad = policyInputSchema.safeParse({ use: "personal", allowedLicenses: ["MIT", "MTI"], locality: "any" });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["use", 'use must be "commercial", "internal" or "research"'],
      ["allowedLicenses.1", '"MTI" is not an SPDX license id or "LicenseRef-…" (letters, digits, "." and "-")'],
    ]);
    expect(savePolicyBodySchema.parse({ policy: { use: "research", allowedLicenses: [], locality: "any" }, baseVersion: 3 }).confirmBlocked).toEqual([]);
  });
});
