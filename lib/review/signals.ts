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
}
