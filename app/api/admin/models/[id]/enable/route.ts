import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enableModelAsAdmin } from "@/lib/models/enable-service";
import { modelIdSchema } from "@/lib/models/schemas";
import { getModelGate } from "@/lib/models/service";
import { route } from "@/lib/http/route";

/** Enable a disabled manifest entry that the policy would allow (kept in the data folder; audited). */
export const POST = route<{ id: string }>(async (_request, { params, log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const id = modelIdSchema.safeParse((await params).id);
  if (!id.success) throw new AppError("not_found:models", "There is no such model in the manifest.");
  await enableModelAsAdmin(await getDb(), await getModelGate(), actor, getEnv().dataDir, id.data);
  log.info({ event: "model.enable", modelId: id.data }, "model enabled");
  return Response.json({ enabled: id.data });
});
