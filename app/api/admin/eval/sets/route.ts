import { z } from "zod";
import { saveEvalSetVersion } from "@/db/queries/evaluation";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseSetFile } from "@/lib/eval/items";
import { parseJson } from "@/lib/http/route";
import { route } from "@/lib/http/route";
import { requireKnowledgeBase } from "@/lib/kb/admin";
import { idSchema } from "@/lib/kb/schemas";

const MAX_FILE_CHARS = 2_000_000;

const body = z.object({
  kbId: idSchema,
  name: z.string().trim().min(1, "Name the set.").max(80),
  purpose: z.enum(["questions", "red-team"]).default("questions"),
  fileName: z.string().trim().min(1).max(260),
  text: z.string().max(MAX_FILE_CHARS, "The file is over 2 MB."),
});

/** Uploads a question set (JSON Lines or CSV, read by the page): a new set, or the next version of the set of that name. */
export const POST = route(async (request) => {
  const user = await requireApiUser(ADMIN_ROLES);
  const input = await parseJson(request, body, { maxBytes: MAX_FILE_CHARS * 4 + 4096 });
  await requireKnowledgeBase(input.kbId);
  const items = parseSetFile(input.text, input.fileName, input.purpose);
  const { set, count } = await saveEvalSetVersion(await getDb(), { kbId: input.kbId, name: input.name, purpose: input.purpose, items, replace: true, actor: { id: user.id, email: user.email } });
  return Response.json({ set, count }, { status: 201 });
});
