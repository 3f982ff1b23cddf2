import { z } from "zod";
import { getOwnedMessage, setFeedback } from "@/db/queries/conversations";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.object({
  rating: z.enum(["up", "down"]).nullable(),
  reason: z.string().trim().max(1000).optional(),
  /** The agent's word that this released answer should have waited for a reviewer (a routing label). */
  shouldHaveBeenReviewed: z.boolean().optional(),
});

export const POST = route<{ id: string }>(async (request, { params }) => {
  const user = await requireApiUser(ALL_ROLES);
  const body = await parseJson(request, bodySchema);
  const id = z.string().uuid().safeParse((await params).id);
  const db = await getDb();
  const message = id.success ? await getOwnedMessage(db, { id: id.data, userId: user.id }) : undefined;
  if (!message || message.role !== "assistant") throw new AppError("not_found:chat", "That answer does not exist.");
  const feedback = body.rating ? { rating: body.rating, reason: body.reason || undefined } : null;
  // Only an answer routing released can have been wrongly released; a held one is the reviewer's to judge.
  const missedReview = body.shouldHaveBeenReviewed && message.status === "complete" ? { actorId: user.id } : undefined;
  await setFeedback(db, { id: message.id, feedback, missedReview });
  return Response.json({ ok: true });
});
