import { z } from "zod";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { embeddingView, getEmbeddingSwitcher } from "@/lib/models/embedding-switch-service";
import { modelIdSchema } from "@/lib/models/schemas";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.strictObject({ modelId: modelIdSchema });

/** The embedding models an admin may switch to, and the switch in progress (polled by the page). */
export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  return Response.json(await embeddingView());
});

/** Embed every knowledge base with `modelId` in the background, then make it the embedding model (audited). */
export const POST = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const { modelId } = await parseJson(request, bodySchema);
  const started = await (await getEmbeddingSwitcher()).start(actor, modelId);
  log.info({ event: "model.embedding.start", modelId, from: started.from }, "embedding switch started");
  return Response.json(started, { status: 202 });
});
