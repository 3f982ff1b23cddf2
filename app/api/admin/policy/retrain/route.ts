import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listPolicyVersionViews } from "@/lib/review/admin";
import { retrainFromLabels } from "@/lib/review/retrain-service";
import { assertPolicyPassesGates } from "@/lib/eval/server";

/** Retrain the risk classifier from routing labels; it becomes a new policy version only if it scores at least as well. */
export const POST = route(async (_request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const db = await getDb();
  const result = await retrainFromLabels(db, actor, undefined, { beforeSave: (policy) => assertPolicyPassesGates(policy, actor, "with the retrained classifier") });
  log.info({ event: result.version ? "policy.routing.update" : "policy.routing.retrain_rejected", version: result.version, active: result.active, candidate: result.candidate }, "risk classifier retrained");
  return Response.json({ result, versions: await listPolicyVersionViews(db) });
});
