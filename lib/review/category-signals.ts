/**
 * The risk classifier's part of an assessment: when a question reads as
 * anything but routine, one signal names the category it most reads as, and
 * the policy says what that category asks for (hold by default).
 */
import type { RiskSignal } from "./signals";
import { categoryName, readRisk, type RiskClassifier } from "./classifier";
import { DEFAULT_CLASSIFIER_SETTINGS } from "./default-policy";
import type { RoutingPolicy } from "./policy";

const round = (n: number) => Math.round(n * 100) / 100;

/** A risk at or above this share of its category's threshold counts as near it. */
export const NEAR_SHARE = 0.75;

/** `vector`: the question's sentence vector, for a classifier trained with one. */
export function categorySignals(question: string, classifier: RiskClassifier | undefined, policy: RoutingPolicy, vector?: Float32Array): RiskSignal[] {
  if (!classifier) return [];
  // A policy saved before the classifier shipped gets its defaults.
  const settings = policy.classifier ?? DEFAULT_CLASSIFIER_SETTINGS;
  const reading = readRisk(classifier, question, vector);
  const category = settings.categories[reading.category];
  const threshold = category?.minRisk ?? settings.minRisk;
  const name = categoryName(reading.category);
  if (reading.risk < threshold) {
    if (reading.risk < threshold * NEAR_SHARE || (category?.action ?? "hold") === "none") return [];
    return [
      {
        kind: "category",
        score: round(reading.risk),
        action: "none",
        near: true,
        topicId: reading.category,
        label: name,
        reason: `The question reads a little as ${name} (risk ${round(reading.risk)}, below the ${threshold} that holds it): its answer is checked in full before the agent sees it.`,
      },
    ];
  }
  return [
    {
      kind: "category",
      score: round(reading.risk),
      action: category?.action ?? "hold",
      topicId: reading.category,
      label: name,
      reason: `The question reads as ${name} (risk ${round(reading.risk)}; ${name} ${round(reading.probability)}).`,
    },
  ];
}
