/**
 * The start-up (and policy-change) model check in one call, plus the preview
 * the policy editor shows before saving. Callers keep the returned checks to
 * re-evaluate cheaply when only the policy or approvals change.
 */
import type { Manifest } from "./manifest-schema";
import { applyApprovals, type StoredApproval } from "./approval";
import { evaluateModels, summarizeRoles, type Decision, type Policy, type RoleStatus } from "./policy";
import { verifyModelFiles, type FileCheck, type HashCache } from "./verify";

export interface ModelCheckResult {
  /** The manifest with stored approvals applied. */
  manifest: Manifest;
  checks: FileCheck[];
  decisions: Decision[];
  roles: RoleStatus[];
}

/** Verify files (enabled models and their bases), apply approvals, and decide every model. */
export async function checkModels(input: {
  manifest: Manifest;
  manifestDir: string;
  policy: Policy;
  approvals?: readonly StoredApproval[];
  cache?: HashCache;
}): Promise<ModelCheckResult> {
  const checks = await verifyModelFiles(input.manifest, input.manifestDir, { cache: input.cache });
  return decideModels(input.manifest, input.policy, checks, input.approvals ?? []);
}

/** The pure half of checkModels, for when the files were already verified. */
export function decideModels(
  manifest: Manifest,
  policy: Policy,
  checks: FileCheck[],
  approvals: readonly StoredApproval[] = [],
): ModelCheckResult {
  const approved = applyApprovals(manifest, approvals);
  const decisions = evaluateModels(approved, policy, checks);
  // A model on another server runs only when chosen (LLM_BASE_URL, Admin › Models) and is checked
  // there; one just connected and not yet approved must not take its whole role, and health, down.
  const remote = new Set(approved.models.filter((m) => m.format === "remote").map((m) => m.id));
  return { manifest: approved, checks, decisions, roles: summarizeRoles(decisions.filter((d) => !remote.has(d.modelId))) };
}

/** Enabled models that run under `current` but would be refused under `proposed`, with the new reason. */
export function previewPolicyChange(
  manifest: Manifest,
  checks: readonly FileCheck[],
  current: Policy,
  proposed: Policy,
): Decision[] {
  const before = new Map(evaluateModels(manifest, current, checks).map((d) => [d.modelId, d]));
  return evaluateModels(manifest, proposed, checks).filter((d) => d.enabled && !d.allowed && before.get(d.modelId)?.allowed === true);
}
