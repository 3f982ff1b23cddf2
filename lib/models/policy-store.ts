/**
 * The model policy as stored: versioned rows of kind "models", each save audited
 * in the same transaction (db/queries/versioned-policy). It lives beside the
 * policy's schema, so db/ needs nothing from lib/.
 */
import type { Database } from "@/db/client";
import { versionedPolicy, type StoredPolicy } from "@/db/queries/versioned-policy";
import type { Actor } from "@/db/queries/users";
import { policySchema, type Policy } from "./policy";

/** Serialises writers of the models policy so two saves never pick the same version. */
const MODEL_POLICY_LOCK = 727010;

/** One version of the model policy as stored. */
export type StoredModelPolicy = StoredPolicy<Policy>;

/** A save was based on a version that is no longer the latest. */
export class ModelPolicyConflictError extends Error {
  constructor(readonly latestVersion: number) {
    super(`The model policy was changed by someone else (now version ${latestVersion}). Reload the page, review the change and try again.`);
    this.name = "ModelPolicyConflictError";
  }
}

const store = versionedPolicy<Policy>({
  kind: "models",
  schema: policySchema,
  lock: MODEL_POLICY_LOCK,
  label: "Model policy",
  conflict: (latest) => new ModelPolicyConflictError(latest),
});

/**
 * The latest model policy. When none is stored yet, `seed` (usually
 * policyFromConfig(getEnv())) becomes version 1, audited as "policy.models.seed".
 */
export function getCurrentModelPolicy(db: Database, { seed }: { seed: Policy }): Promise<StoredModelPolicy> {
  return store.current(db, seed, { from: "configuration (POLICY_USE, POLICY_ALLOWED_LICENSES, POLICY_LOCALITY)" });
}

/**
 * Store `policy` as the next version, audited as "policy.models.update" with
 * before and after. With `baseVersion`, refuses (ModelPolicyConflictError) when
 * someone saved another version since the editor loaded that one.
 */
export function saveModelPolicy(db: Database, input: { policy: Policy; actor: Actor; baseVersion?: number; details?: Record<string, unknown> }): Promise<StoredModelPolicy> {
  return store.save(db, input);
}
