import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { connectServerSchema } from "@/lib/models/connect";
import { probeServer } from "@/lib/models/connect-service";
import { parseJson, route } from "@/lib/http/route";

/** The models an OpenAI-compatible server lists, for the admin to pick one. */
export const POST = route(async (request) => {
  await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, connectServerSchema);
  return Response.json({ models: await probeServer(body) });
});
