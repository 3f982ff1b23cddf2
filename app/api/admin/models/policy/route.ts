import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { savePolicyAsAdmin } from "@/lib/models/admin";
import { savePolicyBodySchema } from "@/lib/models/schemas";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  const status = (await getModelGate()).status();
  return Response.json({ version: status.policyVersion, policy: status.policy });
});

/** Save a new policy version (audited); models it blocks are refused at once. */
export const PUT = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, savePolicyBodySchema);
  const { saved, blocked } = await savePolicyAsAdmin(await getDb(), await getModelGate(), actor, body);
  log.info({ event: "policy.models.update", version: saved.version, blocked: blocked.map((b) => b.modelId) }, "model policy saved");
  return Response.json({ version: saved.version, policy: saved.policy, blocked });
});
