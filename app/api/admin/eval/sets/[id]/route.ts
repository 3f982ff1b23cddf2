import { z } from "zod";
import { deleteEvalSet, getEvalSet, getEvalSetItems, setEvalSetGated } from "@/db/queries/evaluation";
import { ADMIN_ROLES, REVIEW_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route, uuidParam } from "@/lib/http/route";

const notFound = () => new AppError("not_found:eval", "That question set does not exist.");
const setId = (params: Promise<{ id: string }>) => uuidParam(params, notFound);

/** The set's questions as JSON Lines (its current version, or ?version=n), to download, edit and upload again. */
export const GET = route<{ id: string }>(async (request, { params }) => {
  const id = await setId(params);
  await requireApiUser(REVIEW_ROLES);
  const db = await getDb();
  const set = await getEvalSet(db, { id });
  if (!set) throw notFound();
  const version = z.coerce.number().int().min(1).max(set.version).catch(set.version).parse(new URL(request.url).searchParams.get("version") ?? set.version);
  const items = await getEvalSetItems(db, set, version);
  const name = `${set.name.replace(/[^\w.-]+/g, "-")}-v${version}.jsonl`;
  return new Response(items.map((i) => JSON.stringify(i)).join("\n") + "\n", {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});

/** Gates the set (or not): new embedding models and review-policy versions must score at least as well on it. */
export const PATCH = route<{ id: string }>(async (request, { params }) => {
  const id = await setId(params);
  const user = await requireApiUser(ADMIN_ROLES);
  const { gated } = await parseJson(request, z.object({ gated: z.boolean() }));
  const set = await setEvalSetGated(await getDb(), { id, gated, actor: { id: user.id, email: user.email } });
  if (!set) throw notFound();
  return Response.json({ set });
});

/** Deletes the set and its versions; its runs stay, without the link. */
export const DELETE = route<{ id: string }>(async (_request, { params }) => {
  const id = await setId(params);
  const user = await requireApiUser(ADMIN_ROLES);
  if (!(await deleteEvalSet(await getDb(), { id, actor: { id: user.id, email: user.email } }))) throw notFound();
  return Response.json({ ok: true });
});
