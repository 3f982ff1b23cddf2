import { z } from "zod";
import { REVIEW_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";
import { decide } from "@/lib/review/actions";

/** `neededReview: false` marks a hold that did not need review (it becomes a routing label). */
const neededReview = z.boolean().default(true);
const bodySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("approve"), neededReview }),
  z.object({ kind: z.literal("edit"), text: z.string().trim().min(1, "The edited answer is empty.").max(20_000), neededReview }),
  z.object({ kind: z.literal("reject"), note: z.string().trim().min(1, "Say why, for the agent.").max(2000), neededReview }),
]);

/** Approve, edit then approve, or reject. Exactly one of two concurrent decisions succeeds; the other gets 409. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const reviewer = await requireApiUser(REVIEW_ROLES);
  const body = await parseJson(request, bodySchema);
  const id = z.string().uuid().safeParse((await params).id);
  if (!id.success) throw new AppError("not_found:review", "That review item does not exist.");
  const { neededReview: needed, ...decision } = body;
  const item = await decide(reviewer, id.data, decision, needed);
  return Response.json({ item: { id: item.id, status: item.status } });
});
