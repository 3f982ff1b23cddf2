import { z } from "zod";
import { getEvalSet, saveEvalSetVersion } from "@/db/queries/evaluation";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseQuestion } from "@/lib/eval/items";
import { parseJson, route, uuidParam } from "@/lib/http/route";

const body = z.object({
  question: z.string().trim().min(1, "Write the question.").max(4000),
  documents: z.array(z.string().trim().min(1)).min(1, "Pick the document that answers it.").max(20),
  fact: z.string().trim().max(500).optional(),
  high: z.boolean().optional(),
});

const notFound = () => new AppError("not_found:eval", "That question set does not exist.");

/** Adds one question built on the page (a document picked, the question written): the set's next version. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const id = await uuidParam(params, notFound);
  const user = await requireApiUser(ADMIN_ROLES);
  const input = await parseJson(request, body);
  const db = await getDb();
  const set = await getEvalSet(db, { id });
  if (!set || set.purpose !== "questions") throw notFound();
  const item = parseQuestion({ question: input.question, documents: input.documents, ...(input.fact ? { fact: input.fact } : {}), ...(input.high === undefined ? {} : { high: input.high }) });
  const saved = await saveEvalSetVersion(db, { kbId: set.kbId, name: set.name, purpose: set.purpose, items: [item], replace: false, actor: { id: user.id, email: user.email } });
  return Response.json(saved, { status: 201 });
});
