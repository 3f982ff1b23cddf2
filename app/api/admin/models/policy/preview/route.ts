import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { previewPolicy } from "@/lib/models/admin";
import { previewPolicyBodySchema } from "@/lib/models/schemas";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

/** Which enabled models a proposed policy would block, before anything is saved. */
export const POST = route(async (request) => {
  await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, previewPolicyBodySchema);
  const gate = await getModelGate();
  return Response.json({ ...previewPolicy(gate, body.policy), baseVersion: gate.status().policyVersion });
});
