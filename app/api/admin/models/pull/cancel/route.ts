import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { pullableEntry, pullBodySchema } from "@/lib/models/catalogue";
import { getPullJobs } from "@/lib/models/pull-service";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

/** Stop a running pull; what it received stays staged, so the next pull continues from it. */
export const POST = route(async (request, { log }) => {
  await requireApiUser(ADMIN_ROLES);
  const { modelId } = await parseJson(request, pullBodySchema);
  pullableEntry((await getModelGate()).status().manifest, modelId);
  if (!(await getPullJobs()).cancel(modelId)) throw new AppError("conflict:models", `No download of "${modelId}" is running.`);
  log.info({ event: "model.pull.cancel", modelId }, "model pull cancelled");
  return Response.json({ modelId });
});
