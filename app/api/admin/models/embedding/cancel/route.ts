import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getEmbeddingSwitcher } from "@/lib/models/embedding-switch-service";
import { route } from "@/lib/http/route";

/** Stop the running switch; the old model keeps embedding, and starting again resumes. */
export const POST = route(async (_request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  (await getEmbeddingSwitcher()).cancel(actor);
  log.info({ event: "model.embedding.cancel" }, "embedding switch cancelled");
  return Response.json({ cancelled: true });
});
