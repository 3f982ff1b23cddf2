import { z } from "zod";
import { REVIEW_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { claim, release } from "@/lib/review/actions";

async function itemId(params: Promise<{ id: string }>) {
  const id = z.string().uuid().safeParse((await params).id);
  if (!id.success) throw new AppError("not_found:review", "That review item does not exist.");
  return id.data;
}

/** Claims (locks) the item for the signed-in reviewer. */
export const POST = route<{ id: string }>(async (_request, { params }) => {
  const id = await itemId(params);
  const reviewer = await requireApiUser(REVIEW_ROLES);
  const item = await claim(reviewer, id);
  return Response.json({ item: { id: item.id, claimedBy: item.claimedBy, claimExpiresAt: item.claimExpiresAt } });
});

/** Gives the claim back. */
export const DELETE = route<{ id: string }>(async (_request, { params }) => {
  const id = await itemId(params);
  const reviewer = await requireApiUser(REVIEW_ROLES);
  await release(reviewer, id);
  return new Response(null, { status: 204 });
});
