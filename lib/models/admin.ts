/**
 * What an admin can change in Admin › Models, with the rules that keep it
 * honest: a policy change that blocks running models must have been seen in
 * the preview, and an approval binds to the exact entry the admin reviewed.
 */
import type { Database } from "@/db/client";
import { approveModel } from "@/db/queries/models";
import { ModelPolicyConflictError, saveModelPolicy, type StoredModelPolicy } from "@/lib/models/policy-store";
import type { Actor } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { modelFingerprint, type StoredApproval } from "@/lib/models/approval";
import type { Decision, Policy } from "@/lib/models/policy";
import { samePolicy } from "./model-cards";
import type { ModelGate } from "./model-gate";

/** A refused model as the preview lists it. */
export interface BlockedModel {
  modelId: string;
  role: Decision["role"];
  clause?: Decision["clause"];
  message?: string;
}

export const toBlocked = (d: Decision): BlockedModel => ({ modelId: d.modelId, role: d.role, clause: d.clause, message: d.message });

/** Enabled models that run now and would be refused under `proposed`. */
export function previewPolicy(gate: ModelGate, proposed: Policy): { blocked: BlockedModel[]; unchanged: boolean } {
  return { blocked: gate.preview(proposed).map(toBlocked), unchanged: samePolicy(gate.status().policy, proposed) };
}

/** Save a new policy version (audited) and re-decide every model at once. */
export async function savePolicyAsAdmin(
  db: Database,
  gate: ModelGate,
  actor: Actor,
  input: { policy: Policy; baseVersion: number; confirmBlocked: string[] },
): Promise<{ saved: StoredModelPolicy; blocked: BlockedModel[] }> {
  if (samePolicy(gate.status().policy, input.policy)) throw new AppError("bad_request:models", "The policy is unchanged; there is nothing to save.");
  const blocked = gate.preview(input.policy).map(toBlocked);
  const unconfirmed = blocked.filter((b) => !input.confirmBlocked.includes(b.modelId));
  if (unconfirmed.length > 0) {
    const names = unconfirmed.map((b) => `"${b.modelId}"`).join(", ");
    throw new AppError("conflict:models", `This change would block ${names}, which the preview you confirmed did not list. Check the preview again before saving.`);
  }
  let saved: StoredModelPolicy;
  try {
    saved = await saveModelPolicy(db, { policy: input.policy, actor, baseVersion: input.baseVersion, details: { blocked: blocked.map((b) => b.modelId) } });
  } catch (error) {
    if (error instanceof ModelPolicyConflictError) throw new AppError("conflict:models", error.message);
    throw error;
  }
  await gate.refresh();
  return { saved, blocked };
}

/** Approve a manifest entry as the admin reviewed it (audited), then re-decide. */
export async function approveModelAsAdmin(
  db: Database,
  gate: ModelGate,
  actor: Actor,
  input: { modelId: string; fingerprint: string },
): Promise<{ approval: StoredApproval; decision: BlockedModel & { allowed: boolean } }> {
  const status = gate.status();
  const entry = status.manifest?.models.find((m) => m.id === input.modelId);
  if (!entry) throw new AppError("not_found:models", `There is no model "${input.modelId}" in the manifest.`);
  if (modelFingerprint(entry) !== input.fingerprint) {
    throw new AppError(
      "conflict:models",
      `The manifest entry of "${entry.id}" changed since you opened the page. Reload the page and review it again before approving.`,
    );
  }
  const current = status.approvedManifest?.models.find((m) => m.id === entry.id)?.approval;
  if (current) throw new AppError("conflict:models", `"${entry.id}" is already approved (by ${current.by} at ${current.at}).`);
  const approval = await approveModel(db, {
    modelId: entry.id,
    fingerprint: input.fingerprint,
    actor,
    details: { license: entry.license?.id ?? null, files: entry.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })) },
  });
  const after = await gate.refresh();
  const decision = after.decisions.find((d) => d.modelId === entry.id);
  return { approval, decision: { ...toBlocked(decision!), allowed: decision?.allowed ?? false } };
}
