import "server-only";
/** The review policy's checks for chat turns: the current routing policy, with topic similarity on the embedder. */
import type { Database } from "@/db/client";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import type { Embedder } from "@/lib/embeddings/types";
import { logger } from "@/lib/log";
import { assessAnswer, assessQuestion } from "@/lib/review";
import { getRiskClassifier, getRoutingSimilarity } from "@/lib/review/server";
import type { TurnAssessor } from "@/lib/rag/turn";

export async function getTurnAssessor(db: Database, _embedder: Embedder): Promise<TurnAssessor> {
  const { policy } = await getCurrentRoutingPolicy(db);
  const similarity = await getRoutingSimilarity().catch((error: Error) => {
    // Keywords still apply; say so rather than silently weakening the check.
    logger().warn({ err: error }, "topic similarity unavailable; routing on keywords only");
    return undefined;
  });
  const classifier = await getRiskClassifier().catch((error: Error) => {
    logger().warn({ err: error }, "risk classifier unavailable; routing on topics and checks only");
    return undefined;
  });
  return {
    question: (input) => assessQuestion({ ...input, policy, similarity, classifier }),
    answer: (input) => assessAnswer({ ...input, policy }),
  };
}
