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

/** `vector`: the question's sentence vector, for a classifier trained with one. */
export function categorySignals(question: string, classifier: RiskClassifier | undefined, policy: RoutingPolicy, vector?: Float32Array): RiskSignal[] {
  if (!classifier) return [];
  // A policy saved before the classifier shipped gets its defaults.
  const settings = policy.classifier ?? DEFAULT_CLASSIFIER_SETTINGS;
  const reading = readRisk(classifier, question, vector);
  const category = settings.categories[reading.category];
  if (reading.risk < (category?.minRisk ?? settings.minRisk)) return [];
  const name = categoryName(reading.category);
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
