import { z } from "zod";
import { listEvalRuns } from "@/db/queries/evaluation";
import { ADMIN_ROLES, REVIEW_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { startRunAsUser, settleStaleRuns } from "@/lib/eval/server";
import { runSummary } from "@/lib/eval/views";
import { parseJson, route } from "@/lib/http/route";
import { idSchema } from "@/lib/kb/schemas";

const body = z.object({ kind: z.enum(["retrieval", "answers", "routing", "red-team"]), kbId: idSchema, setId: idSchema.optional() });

/** Starts an evaluation run in the background. */
export const POST = route(async (request) => {
  const user = await requireApiUser(ADMIN_ROLES);
  const input = await parseJson(request, body);
  const run = await startRunAsUser({ ...input, actor: { id: user.id, email: user.email } });
  return Response.json({ run: runSummary(run) }, { status: 202 });
});

/** The runs of a knowledge base with their progress; the page polls this while one is running. Reviewers may read. */
export const GET = route(async (request) => {
  await requireApiUser(REVIEW_ROLES);
  const kbId = idSchema.safeParse(new URL(request.url).searchParams.get("kb"));
  await settleStaleRuns();
  const runs = await listEvalRuns(await getDb(), { kbId: kbId.success ? kbId.data : undefined, limit: 100 });
  return Response.json({ runs: runs.map(runSummary) }, { headers: { "cache-control": "no-store" } });
});
