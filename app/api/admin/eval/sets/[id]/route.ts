import { z } from "zod";
import { deleteEvalSet, setEvalSetGated } from "@/db/queries/evaluation";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";
import { idSchema } from "@/lib/kb/schemas";

async function setId(params: Promise<{ id: string }>) {
  const parsed = idSchema.safeParse((await params).id);
  if (!parsed.success) throw new AppError("not_found:eval", "That question set does not exist.");
  return parsed.data;
}

/** Gates the set (or not): new embedding models and review-policy versions must score at least as well on it. */
export const PATCH = route<{ id: string }>(async (request, { params }) => {
  const id = await setId(params);
  const user = await requireApiUser(ADMIN_ROLES);
  const { gated } = await parseJson(request, z.object({ gated: z.boolean() }));
  const set = await setEvalSetGated(await getDb(), { id, gated, actor: { id: user.id, email: user.email } });
  if (!set) throw new AppError("not_found:eval", "That question set does not exist.");
  return Response.json({ set });
});

/** Deletes the set and its versions; its runs stay, without the link. */
export const DELETE = route<{ id: string }>(async (_request, { params }) => {
  const id = await setId(params);
  const user = await requireApiUser(ADMIN_ROLES);
  if (!(await deleteEvalSet(await getDb(), { id, actor: { id: user.id, email: user.email } }))) throw new AppError("not_found:eval", "That question set does not exist.");
  return Response.json({ ok: true });
});
