/** A review-policy version's checks as a chat turn runs them (the web server's, and evaluations' for any version). */
import type { ChatModel } from "@/lib/llm";
import type { TurnAssessor } from "@/lib/rag/turn";
import { assessAnswer, assessQuestion, type SimilarityFn } from "@/lib/review";
import type { RiskClassifier, SentenceVectors } from "@/lib/review/classifier";
import type { ClassifierLoader } from "@/lib/review/classifier-loader";
import { judgeSignals, modelJudge } from "@/lib/review/judge";
import type { RoutingPolicy } from "@/lib/review/policy";
import { logger } from "@/lib/log";

interface AssessorParts {
  similarity?: SimilarityFn;
  classifier?: RiskClassifier;
  vectors?: SentenceVectors;
  /** The answering model, when its manifest entry says it is an instruct model. */
  judgeModel?: ChatModel;
}

function buildTurnAssessor({ policy, version }: { policy: RoutingPolicy; version: number }, parts: AssessorParts): TurnAssessor {
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

/** Where a process gets a policy version's checks from (the web server's singletons, or what a CLI opened). */
export interface AssessorSources {
  similarity(): Promise<SimilarityFn>;
  classifierFor: ClassifierLoader;
  /** The sentence vectors the classifier reads, on this process's embedder (undefined: n-grams only). */
  vectorsFor(classifier: RiskClassifier): SentenceVectors | undefined;
  warn(error: Error, message: string): void;
}

/**
 * The checks of a review-policy version. What cannot be had weakens them, said out loud: without
 * topic similarity they route on keywords, without the classifier on topics and checks.
 */
export async function loadTurnAssessor(stored: { policy: RoutingPolicy; version: number }, sources: AssessorSources, judgeModel?: ChatModel): Promise<TurnAssessor> {
  const similarity = await sources.similarity().catch((error: Error) => {
    sources.warn(error, "topic similarity unavailable; routing on keywords only");
    return undefined;
  });
  const classifier = await sources.classifierFor(stored.policy.classifier?.model).catch((error: Error) => {
    sources.warn(error, "risk classifier unavailable; routing on topics and checks only");
    return undefined;
  });
  return buildTurnAssessor(stored, { similarity, classifier, vectors: classifier && sources.vectorsFor(classifier), judgeModel });
}
