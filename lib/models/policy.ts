/**
 * The organisation's model policy and the pure decision of which models may
 * run under it. A refused model is never replaced by another: the caller
 * refuses its role and shows the message, which names the model, the clause and the fix.
 */
import { z } from "zod";
import { getEnv, type Env } from "@/lib/env";
import type { Manifest, ModelEntry, ModelRole } from "./manifest-schema";
import { canonicalSpdxId, isKnownLicenseId, sameLicenseId } from "./spdx";
import { fileProblem, label, licenseLabel, type DecisionProblem } from "./policy-messages";
import { isRecordedSha256, type FileCheck } from "./verify";

export type { DecisionClause, DecisionProblem } from "./policy-messages";

export const policySchema = z.strictObject({
  /** What the deployment is for; non-commercial licenses are refused unless "research". */
  use: z.enum(["commercial", "internal", "research"]),
  /** SPDX ids and LicenseRef ids that the organisation accepts. */
  allowedLicenses: z.array(
    z.string().refine(isKnownLicenseId, { message: 'must be an SPDX license id or "LicenseRef-…"' }),
  ),
  /** "on-premises": no model may run off premises. "any": the deployment may run models anywhere. */
  locality: z.enum(["on-premises", "any"]),
});

/** The organisation's model policy (stored in Postgres, seeded from config). */
export type Policy = z.infer<typeof policySchema>;

/** Permissive licenses accepted when POLICY_ALLOWED_LICENSES is unset. */
export const DEFAULT_ALLOWED_LICENSES: readonly string[] = [
  "MIT",
  "Apache-2.0",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "ISC",
  "0BSD",
  "Unlicense",
  "CC0-1.0",
  "CC-BY-4.0",
  "PDDL-1.0",
];

/** Split a comma list of license ids; throws naming the setting and the bad id. */
export function parseAllowedLicenses(list: string): string[] {
  const ids = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return ids.map((id) => {
    if (!isKnownLicenseId(id))
      throw new Error(`POLICY_ALLOWED_LICENSES: "${id}" is not an SPDX license id or "LicenseRef-…"`);
    return canonicalSpdxId(id) ?? id;
  });
}

export type PolicyConfig = Pick<Env, "POLICY_USE" | "POLICY_ALLOWED_LICENSES" | "POLICY_LOCALITY">;

/** The seed policy from POLICY_USE, POLICY_ALLOWED_LICENSES and POLICY_LOCALITY. */
export function policyFromConfig(config: PolicyConfig = getEnv()): Policy {
  return {
    use: config.POLICY_USE,
    allowedLicenses:
      config.POLICY_ALLOWED_LICENSES === undefined ? [...DEFAULT_ALLOWED_LICENSES] : parseAllowedLicenses(config.POLICY_ALLOWED_LICENSES),
    locality: config.POLICY_LOCALITY,
  };
}

/** Whether one model may run, and if not, why (the first problem) and everything else that blocks it. */
export interface Decision {
  modelId: string;
  role: ModelRole;
  enabled: boolean;
  allowed: boolean;
  clause?: DecisionProblem["clause"];
  message?: string;
  problems: DecisionProblem[];
}

/** Decide every manifest entry under the policy, given the file checks of verifyModelFiles. Pure. */
export function evaluateModels(manifest: Manifest, policy: Policy, fileChecks: readonly FileCheck[]): Decision[] {
  const byId = new Map(manifest.models.map((m) => [m.id, m]));
  const decided = new Map<string, Decision>();
  const decide = (model: ModelEntry, visiting: Set<string>): Decision => {
    const done = decided.get(model.id);
    if (done) return done;
    visiting.add(model.id);
    const problems = [
      ...licenseProblems(model, policy),
      ...lineageProblems(model, byId, (base) => (visiting.has(base.id) ? undefined : decide(base, visiting))),
      ...filesProblems(model, fileChecks),
      ...(model.approval === null
        ? [{ clause: "unapproved" as const, message: `${label(model)} is refused: nobody has approved it. Fix: approve it in Admin › Models.` }]
        : []),
    ];
    const decision = toDecision(model, problems);
    decided.set(model.id, decision);
    return decision;
  };
  return manifest.models.map((m) => decide(m, new Set()));
}

function toDecision(model: ModelEntry, problems: DecisionProblem[]): Decision {
  const base = { modelId: model.id, role: model.role, enabled: model.enabled };
  if (!model.enabled) {
    const still = problems[0] ? ` Enabling it alone is not enough: ${problems[0].message}` : "";
    const disabled: DecisionProblem = {
      clause: "disabled",
      message: `${label(model)} is disabled in the manifest. Fix: enable it in Admin › Models (or set "enabled": true for it in the manifest) to use it.${still}`,
    };
    return { ...base, allowed: false, clause: "disabled", message: disabled.message, problems: [disabled, ...problems] };
  }
  const first = problems[0];
  if (!first) return { ...base, allowed: true, problems: [] };
  return { ...base, allowed: false, clause: first.clause, message: first.message, problems };
}

function licenseProblems(model: ModelEntry, policy: Policy): DecisionProblem[] {
  const out: DecisionProblem[] = [];
  const who = label(model);
  if (model.license === null || !model.permits) {
    out.push({
      clause: "license-unknown",
      message: `${who} is refused: its license is not on record. Fix: record its license (an SPDX id, or "LicenseRef-…" with name and url) and what it permits in the manifest, then approve it in Admin › Models.`,
    });
  } else {
    const id = model.license.id;
    if (!policy.allowedLicenses.some((allowed) => sameLicenseId(allowed, id))) {
      const list = policy.allowedLicenses.length > 0 ? policy.allowedLicenses.join(", ") : "none";
      out.push({
        clause: "license-not-allowed",
        message: `${who} is refused: its license ${licenseLabel(model.license)} is not in the policy's allowed licenses (${list}). Fix: after legal review, add ${id} to the allowed licenses in Admin › Models › Policy, or disable the model.`,
      });
    }
    if (!model.permits.commercialUse && policy.use !== "research") {
      out.push({
        clause: "commercial-use",
        message: `${who} is refused: its license ${licenseLabel(model.license)} does not permit commercial use, and the policy's use is "${policy.use}". Fix: choose a model whose license permits commercial use, or set the policy's use to "research" if this deployment is for research only.`,
      });
    }
  }
  if (model.locality === "remote" && policy.locality === "on-premises") {
    out.push({
      clause: "locality",
      message: `${who} is refused: it runs off premises (locality "remote"), and the policy allows on-premises models only. Fix: use a model that runs on premises, or set the policy's locality to "any".`,
    });
  }
  if (model.locality === "on-premises-only" && policy.locality === "any") {
    out.push({
      clause: "locality",
      message: `${who} is refused: its terms allow running it on premises only, and the policy's locality is "any". Fix: set the policy's locality to "on-premises" (and run the model on your own machines), or disable the model.`,
    });
  }
  return out;
}

function lineageProblems(
  model: ModelEntry,
  byId: ReadonlyMap<string, ModelEntry>,
  decideBase: (base: ModelEntry) => Decision | undefined,
): DecisionProblem[] {
  if (model.baseModel === undefined) return [];
  const who = label(model);
  const base = byId.get(model.baseModel);
  if (!base) {
    return [
      {
        clause: "base-missing",
        message: `${who} is refused: its base model "${model.baseModel}" is not in the manifest. Fix: add "${model.baseModel}" to the manifest or correct baseModel.`,
      },
    ];
  }
  const out: DecisionProblem[] = [];
  // Only an adapter or fine-tune is a derivative; the base's terms bind it.
  if (base.permits && !base.permits.modification && base.license) {
    out.push({
      clause: "base-no-derivatives",
      message: `${who} is refused: its base model "${base.id}" is licensed under ${licenseLabel(base.license)}, which does not permit modification or derivatives. Fix: remove the adapter, or build it on a base model whose license permits derivatives.`,
    });
  }
  const required = base.obligations?.derivativeLicense;
  if (required !== undefined && model.license && !sameLicenseId(model.license.id, required)) {
    out.push({
      clause: "adapter-license-conflict",
      message: `${who} is refused: its license ${licenseLabel(model.license)} conflicts with its base model "${base.id}", whose license requires derivatives to be licensed under ${required}. Fix: record the adapter under ${required} if its terms allow, or remove it.`,
    });
  }
  const baseDecision = decideBase(base);
  if (baseDecision && !baseDecision.allowed) {
    out.push({
      clause: "base-refused",
      message: `${who} is refused: its base model "${base.id}" is refused (${baseDecision.clause ?? "unknown"}), and an adapter inherits its base's restrictions. Fix: resolve the refusal of "${base.id}" first.`,
    });
  }
  return out;
}

function filesProblems(model: ModelEntry, fileChecks: readonly FileCheck[]): DecisionProblem[] {
  const out: DecisionProblem[] = [];
  for (const file of model.files) {
    const check = fileChecks.find((c) => c.modelId === model.id && c.path === file.path);
    if (!isRecordedSha256(file.sha256)) out.push(fileProblem(model, file, "hash-unrecorded", check));
    else if (check) {
      const clause = ({ ok: undefined, missing: "file-missing", "size-mismatch": "size-mismatch", "hash-mismatch": "hash-mismatch", unrecorded: "hash-unrecorded", unreadable: "file-unreadable" } as const)[check.status];
      if (clause) out.push(fileProblem(model, file, clause, check));
    } else if (model.enabled) out.push(fileProblem(model, file, "file-unverified", undefined));
  }
  return out;
}

/** Per role, whether every enabled model in it may run (no fallback to another model). */
export interface RoleStatus {
  role: ModelRole;
  allowed: boolean;
  modelIds: string[];
  refusals: Decision[];
}

/** Group the enabled models' decisions by role, for /api/health and start-up logs. */
export function summarizeRoles(decisions: readonly Decision[]): RoleStatus[] {
  const roles = new Map<ModelRole, RoleStatus>();
  for (const d of decisions) {
    if (!d.enabled) continue;
    const status = roles.get(d.role) ?? { role: d.role, allowed: true, modelIds: [], refusals: [] };
    status.modelIds.push(d.modelId);
    if (!d.allowed) {
      status.allowed = false;
      status.refusals.push(d);
    }
    roles.set(d.role, status);
  }
  return [...roles.values()];
}
