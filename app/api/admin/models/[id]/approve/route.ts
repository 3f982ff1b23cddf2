import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { approveModelAsAdmin } from "@/lib/models/admin";
import { approveModelBodySchema, modelIdSchema } from "@/lib/models/schemas";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

/** Approve a manifest entry as reviewed (bound to its fingerprint; audited). */
export const POST = route<{ id: string }>(async (request, { params, log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, approveModelBodySchema);
  const id = modelIdSchema.safeParse((await params).id);
  if (!id.success) throw new AppError("not_found:models", "There is no such model in the manifest.");
  const result = await approveModelAsAdmin(await getDb(), await getModelGate(), actor, { modelId: id.data, fingerprint: body.fingerprint });
  log.info({ event: "model.approve", modelId: id.data, allowed: result.decision.allowed }, "model approved");
  return Response.json(result);
});
