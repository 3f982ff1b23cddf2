import { z } from "zod";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";
import { listPolicyVersionViews } from "@/lib/review/admin";
import { restoreRoutingPolicy } from "@/lib/review/retrain-service";
import { assertPolicyPassesGates } from "@/lib/eval/server";

const restoreBodySchema = z.strictObject({
  /** The version to make current again. */
  version: z.number().int().min(1),
  /** The version the page showed as current; a restore on top of a newer one is refused. */
  baseVersion: z.number().int().min(1),
});

/** Restore an older review-policy version (with its classifier) as the next version, audited. */
export const POST = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, restoreBodySchema);
  const db = await getDb();
  const saved = await restoreRoutingPolicy(db, actor, body, { beforeSave: (policy) => assertPolicyPassesGates(policy, actor, `version ${body.version}, restored`) });
  log.info({ event: "policy.routing.update", version: saved.version, restoredFrom: body.version }, "review policy restored");
  return Response.json({ version: saved.version, policy: saved.policy, versions: await listPolicyVersionViews(db) });
});
