import "server-only";
/** Review actions for route handlers: typed conflicts, and the lock length from settings. */
import { claimReviewItem, decideReviewItem, getReviewItem, releaseReviewClaim, ReviewConflictError, type ReviewDecision } from "@/db/queries/review";
import { isSelfReviewAllowed } from "@/db/queries/settings";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { editDiff } from "./diff";

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReviewConflictError) throw new AppError("conflict:review", error.message);
    throw error;
  }
}

export async function claim(reviewer: SessionUser, id: string) {
  const db = await getDb();
  const allowSelfReview = await isSelfReviewAllowed(db);
  return guard(async () => claimReviewItem(db, { id, reviewer, lockMinutes: getEnv().REVIEW_LOCK_MINUTES, allowSelfReview }));
}

export async function release(reviewer: SessionUser, id: string) {
  await releaseReviewClaim(await getDb(), { id, reviewer });
}

export type DecisionInput = { kind: "approve" } | { kind: "edit"; text: string } | { kind: "reject"; note: string };

/** `neededReview` false: the reviewer says routing held this needlessly (a label for routing quality). */
export async function decide(reviewer: SessionUser, id: string, input: DecisionInput, neededReview = true) {
  const db = await getDb();
  const item = await getReviewItem(db, { id });
  if (!item) throw new AppError("not_found:review", "That review item does not exist.");
  const decision: ReviewDecision =
    input.kind === "edit" ? { kind: "edit", text: input.text, diff: editDiff(item.draft, input.text) } : input.kind === "reject" ? { kind: "reject", note: input.note } : { kind: "approve" };
  const allowSelfReview = await isSelfReviewAllowed(db);
  return guard(() => decideReviewItem(db, { id, reviewer, decision, neededReview, allowSelfReview }));
}
