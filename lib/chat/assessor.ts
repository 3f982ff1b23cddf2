import "server-only";
/** The review policy's checks for chat turns: the current routing policy, with topic similarity on the embedder. */
import type { Database } from "@/db/client";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import type { ChatModel } from "@/lib/llm";
import { judgeSignals, modelJudge } from "@/lib/review/judge";
import { logger } from "@/lib/log";
import { assessAnswer, assessQuestion } from "@/lib/review";
import { classifierVectors, getRiskClassifier, getRoutingSimilarity } from "@/lib/review/server";
import type { Embedder } from "@/lib/embeddings/types";
import type { TurnAssessor } from "@/lib/rag/turn";

/** `judgeModel`: the answering model, when its manifest entry says it is an instruct model. */
export async function getTurnAssessor(db: Database, embedder: Embedder, { judgeModel }: { judgeModel?: ChatModel } = {}): Promise<TurnAssessor> {
  const { policy, version } = await getCurrentRoutingPolicy(db);
  const similarity = await getRoutingSimilarity().catch((error: Error) => {
    // Keywords still apply; say so rather than silently weakening the check.
    logger().warn({ err: error }, "topic similarity unavailable; routing on keywords only");
    return undefined;
  });
  const classifier = await getRiskClassifier(policy.classifier?.model).catch((error: Error) => {
    logger().warn({ err: error }, "risk classifier unavailable; routing on topics and checks only");
    return undefined;
  });
  const vectors = classifier && classifierVectors(classifier, embedder);
  const judge = judgeModel && (policy.judge?.action ?? "hold") !== "none" ? modelJudge(judgeModel) : undefined;
  return {
    policyVersion: version,
    question: (input) => assessQuestion({ ...input, policy, similarity, classifier, vectors }),
    answer: (input) => assessAnswer({ ...input, policy }),
    ...(judge && {
      judge: async (input, signal) => {
        const said = await judge(input, signal);
        if ("error" in said) logger().warn({ err: said.error }, "model judge gave no verdict; the classifier's decision stands");
        return { signals: "verdict" in said ? judgeSignals(said.verdict, policy) : [], note: said };
      },
    }),
  };
}
