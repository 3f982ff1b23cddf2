/**
 * Why a turn waits for a reviewer, in the few plain words an agent reads
 * ("Held for review: money commitment"): the strongest escalating signal, where
 * a commitment, a category or an injection outranks personal data, and personal
 * data outranks weak grounding.
 */
import type { RiskSignal, SignalKind } from "./signals";

const SEVERITY: Record<SignalKind, number> = { category: 3, topic: 3, amount: 3, injection: 3, pii: 2, grounding: 1, citation: 1, judge: 3 };
const ACTION_RANK = { none: 0, hold: 1, refuse: 2 } as const;
const KIND_LABEL: Record<SignalKind, string> = {
  category: "a high-stakes question",
  topic: "a high-stakes topic",
  amount: "an amount over the approval limit",
  injection: "a possible prompt injection",
  pii: "personal data",
  grounding: "an answer the sources do not fully support",
  citation: "broken citations",
  judge: "a high-stakes answer",
};

/** The strongest escalating signal, or undefined when none escalates. */
export function leadingSignal(signals: readonly RiskSignal[]): RiskSignal | undefined {
  return signals
    .filter((s) => s.action !== "none")
    .sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || SEVERITY[b.kind] - SEVERITY[a.kind] || b.score - a.score)[0];
}

/** How severe the strongest escalating signal is: 3 commitments and categories, 2 personal data, 1 grounding, 0 none. */
export function severityOf(signals: readonly RiskSignal[]): number {
  const lead = leadingSignal(signals);
  return lead ? SEVERITY[lead.kind] : 0;
}

/** "money commitment", "Large refunds and credits", "personal data" …; undefined when nothing escalates. */
export function heldReason(signals: readonly RiskSignal[]): string | undefined {
  const lead = leadingSignal(signals);
  return lead ? (lead.label ?? KIND_LABEL[lead.kind]) : undefined;
}

/** What the agent reads while a turn waits: "Held for review: money commitment". */
export function heldNotice(signals: readonly RiskSignal[]): string {
  const why = heldReason(signals);
  return why ? `Held for review: ${why}` : "Sent for review";
}
