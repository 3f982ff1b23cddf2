/** The "models" component of /api/health, from the gate's status. Pure, so it is tested without a server. */
import type { ModelGateStatus } from "./model-gate";

export interface ModelsHealth {
  ok: boolean;
  /** The refusal messages (model, clause and fix), when a role is refused. */
  message?: string;
  policyVersion: number;
  verifiedAt: string;
  roles: Record<string, { allowed: boolean; models: string[]; refusals: { modelId: string; clause?: string; message?: string }[] }>;
}

/**
 * Down when the manifest is invalid, any role with an enabled model is refused, or a
 * model the deployment uses is refused (`inUse`: refusals of the configured models).
 */
export function modelsHealth(status: ModelGateStatus, inUse: readonly (string | undefined)[] = []): ModelsHealth {
  const roles: ModelsHealth["roles"] = {};
  for (const r of status.roles) {
    roles[r.role] = {
      allowed: r.allowed,
      models: r.modelIds,
      refusals: r.refusals.map((d) => ({ modelId: d.modelId, clause: d.clause, message: d.message })),
    };
  }
  const messages = [
    ...(status.manifestError ? [status.manifestError] : []),
    ...status.roles.flatMap((r) => r.refusals.map((d) => d.message ?? `Model "${d.modelId}" is refused.`)),
  ];
  for (const refusal of inUse) if (refusal !== undefined && !messages.includes(refusal)) messages.push(refusal);
  return {
    ok: messages.length === 0,
    ...(messages.length > 0 ? { message: messages.join("\n") } : {}),
    policyVersion: status.policyVersion,
    verifiedAt: status.verifiedAt,
    roles,
  };
}
