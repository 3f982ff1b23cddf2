import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { pullableEntry, pullBodySchema } from "@/lib/models/catalogue";
import { getPullJobs } from "@/lib/models/pull-service";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

/** Progress of the pulls this server started, polled by Admin › Models while one runs. */
export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  return Response.json({ pulls: (await getPullJobs()).list() });
});

/** Pull a catalogue model in the background, continuing from what an earlier attempt left (audited). */
export const POST = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const { modelId } = await parseJson(request, pullBodySchema);
  const entry = pullableEntry((await getModelGate()).status().manifest, modelId);
  const pull = (await getPullJobs()).start(entry, actor);
  log.info({ event: "model.pull.start", modelId }, "model pull started");
  return Response.json(pull, { status: 202 });
});
