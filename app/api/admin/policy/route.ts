import { z } from "zod";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";
import { listPolicyVersionViews, saveRoutingPolicyAsAdmin } from "@/lib/review/admin";
import { routingPolicySchema } from "@/lib/review/policy";
import { assertPolicyPassesGates } from "@/lib/eval/server";

const saveBodySchema = z.strictObject({
  policy: routingPolicySchema,
  /** The version the editor loaded; a save on top of a newer one is refused. */
  baseVersion: z.number().int().min(0),
});

export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  const db = await getDb();
  const current = await getCurrentRoutingPolicy(db);
  return Response.json({ version: current.version, policy: current.policy, versions: await listPolicyVersionViews(db) });
});

/** Save a new, audited version of the review policy. */
export const PUT = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, saveBodySchema);
  const db = await getDb();
  await assertPolicyPassesGates(body.policy, actor, "being saved");
  const saved = await saveRoutingPolicyAsAdmin(db, actor, body);
  log.info({ event: "policy.routing.update", version: saved.version }, "review policy saved");
  return Response.json({ version: saved.version, policy: saved.policy, versions: await listPolicyVersionViews(db) });
});
