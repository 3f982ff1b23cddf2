import { z } from "zod";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { answerWithModel, answerWithSettings } from "@/lib/models/connect-service";
import { modelIdSchema } from "@/lib/models/schemas";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.strictObject({
  /** A connected model's manifest id, or null to go back to the settings. */
  modelId: modelIdSchema.nullable(),
});

/** Choose which model writes answers (audited); refused unless the model policy allows it. */
export const PUT = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const { modelId } = await parseJson(request, bodySchema);
  const db = await getDb();
  if (modelId) await answerWithModel(db, await getModelGate(), actor, getEnv().dataDir, modelId);
  else await answerWithSettings(db, actor, getEnv().dataDir);
  log.info({ event: "model.activate", modelId }, "answering model chosen");
  return Response.json({ modelId });
});
