import "server-only";
/** The review policy's checks for chat turns: the current routing policy, with topic similarity on the embedder. */
import type { Database } from "@/db/client";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import type { ChatModel } from "@/lib/llm";
import { logger } from "@/lib/log";
import { classifierVectors, getRiskClassifier, getRoutingSimilarity } from "@/lib/review/server";
import type { RoutingPolicy } from "@/lib/review/policy";
import type { Embedder } from "@/lib/embeddings/types";
import type { TurnAssessor } from "@/lib/rag/turn";
import { loadTurnAssessor } from "./turn-assessor";

/** `judgeModel`: the answering model, when its manifest entry says it is an instruct model. */
export async function getTurnAssessor(db: Database, embedder: Embedder, { judgeModel }: { judgeModel?: ChatModel } = {}): Promise<TurnAssessor> {
  return assessorFor(await getCurrentRoutingPolicy(db), embedder, { judgeModel });
}

/** The checks of any review-policy version (evaluations compare a candidate with the active one). */
export function assessorFor(stored: { policy: RoutingPolicy; version: number }, embedder: Embedder, { judgeModel }: { judgeModel?: ChatModel } = {}): Promise<TurnAssessor> {
  return loadTurnAssessor(
    stored,
    { similarity: getRoutingSimilarity, classifierFor: getRiskClassifier, vectorsFor: (classifier) => classifierVectors(classifier, embedder), warn: (err, message) => logger().warn({ err }, message) },
    judgeModel,
  );
}
