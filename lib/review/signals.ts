/** The findings an assessment is made of, shared by the checks that produce them. */
import type { SignalAction } from "./policy";

export type SignalKind = "topic" | "category" | "amount" | "grounding" | "pii" | "injection" | "citation" | "judge";
export type Decision = "release" | "hold" | "refuse";

/** One finding of the assessment. */
export interface RiskSignal {
  kind: SignalKind;
  score: number;
  reason: string;
  topicId?: string;
  /** What the signal is about in a few plain words, for the agent ("Large refunds and credits"). */
  label?: string;
  action: SignalAction;
  /**
   * Below its threshold, but near it: the question may still be high-stakes, so its answer is
   * drafted in full and checked before the agent sees any of it (rather than streamed).
   */
  near?: boolean;
}
