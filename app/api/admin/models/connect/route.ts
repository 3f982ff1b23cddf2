import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { addRemoteModelSchema } from "@/lib/models/connect";
import { addRemoteModel } from "@/lib/models/connect-service";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

/** Add a served model as a manifest entry in the data folder (audited); it then needs approval like any other. */
export const POST = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, addRemoteModelSchema);
  const entry = await addRemoteModel(await getDb(), await getModelGate(), actor, getEnv().dataDir, body);
  log.info({ event: "model.add", modelId: entry.id }, "model server connected");
  return Response.json({ id: entry.id });
});
