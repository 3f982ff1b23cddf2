/** Review-policy administration on top of the queries: typed conflicts, views for the page and the API. */
import type { Database } from "@/db/client";
import { listRoutingPolicyVersions, RoutingPolicyConflictError, saveRoutingPolicy, type RoutingPolicyVersion } from "@/lib/review/policy-store";
import { AppError } from "@/lib/errors";
import type { RoutingPolicy } from "./policy";

export interface PolicyVersionView {
  version: number;
  by: string;
  at: string;
  /** Set when the version uses a retrained classifier: "retrained on 15 labels". */
  classifier: string | null;
}

export function versionView(v: RoutingPolicyVersion): PolicyVersionView {
  return {
    version: v.version,
    by: v.createdByEmail ?? (v.createdBy ? "a deleted user" : "system (default policy)"),
    at: v.createdAt.toISOString(),
    classifier: v.classifierLabels === null ? null : `retrained on ${v.classifierLabels} labels`,
  };
}

export async function listPolicyVersionViews(db: Database): Promise<PolicyVersionView[]> {
  return (await listRoutingPolicyVersions(db, { limit: 50 })).map(versionView);
}

/** Save as `actor`; a stale editor gets a 409 that says what to do. */
export async function saveRoutingPolicyAsAdmin(db: Database, actor: { id: string; email: string }, input: { policy: RoutingPolicy; baseVersion: number }) {
  try {
    return await saveRoutingPolicy(db, { policy: input.policy, actor, baseVersion: input.baseVersion });
  } catch (error) {
    if (error instanceof RoutingPolicyConflictError) throw new AppError("conflict:policy", error.message);
    throw error;
  }
}
