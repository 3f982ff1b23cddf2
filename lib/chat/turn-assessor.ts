/** A review-policy version's checks as a chat turn runs them (the web server's, and evaluations' for any version). */
import type { ChatModel } from "@/lib/llm";
import type { TurnAssessor } from "@/lib/rag/turn";
import { assessAnswer, assessQuestion, type SimilarityFn } from "@/lib/review";
import type { RiskClassifier, SentenceVectors } from "@/lib/review/classifier";
import { judgeSignals, modelJudge } from "@/lib/review/judge";
import type { RoutingPolicy } from "@/lib/review/policy";
import { logger } from "@/lib/log";

export interface AssessorParts {
  similarity?: SimilarityFn;
  classifier?: RiskClassifier;
  vectors?: SentenceVectors;
  /** The answering model, when its manifest entry says it is an instruct model. */
  judgeModel?: ChatModel;
}

export function buildTurnAssessor({ policy, version }: { policy: RoutingPolicy; version: number }, parts: AssessorParts): TurnAssessor {
  const { similarity, classifier, vectors } = parts;
  const judge = parts.judgeModel && (policy.judge?.action ?? "hold") !== "none" ? modelJudge(parts.judgeModel) : undefined;
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
