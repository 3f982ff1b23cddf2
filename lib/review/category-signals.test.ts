import { describe, expect, it } from "vitest";
import { categorySignals } from "./category-signals";
import { loadClassifier, packClassifier, readRisk, trainClassifier } from "./classifier";
import { DEFAULT_ROUTING_POLICY } from "./default-policy";

const classifier = loadClassifier(
  packClassifier(
    trainClassifier(
      [
        ...["refund the customer", "give him his money back", "can we refund the order", "credit his account", "refund him twice"].map((text) => ({ text, label: "money" })),
        ...["where is the settings page", "how do I reset the router", "what does the dashboard show", "reset the password page", "where are the settings"].map((text) => ({ text, label: "routine" })),
      ],
      { classes: ["money", "routine"], hashBits: 16, minDocs: 1 },
    ),
  ),
);

describe("the classifier's signal", () => {
  it("names the category a high-stakes question reads as, and holds it", () => {
    const [signal] = categorySignals("can we refund the customer", classifier, DEFAULT_ROUTING_POLICY);
    expect(signal).toMatchObject({ kind: "category", topicId: "money", action: "hold" });
    expect(signal!.reason).toMatch(/^The question reads as money commitment \(risk (?:1|0\.\d+); money commitment (?:1|0\.\d+)\)\.$/);
  });

  it("says nothing about a routine question, or without a classifier", () => {
    expect(categorySignals("where is the router settings page", classifier, DEFAULT_ROUTING_POLICY)).toEqual([]);
    expect(categorySignals("can we refund the customer", undefined, DEFAULT_ROUTING_POLICY)).toEqual([]);
  });

  it("takes the category's own action and risk threshold, else the policy's; a policy from before the classifier gets the defaults", () => {
    const noted = { ...DEFAULT_ROUTING_POLICY, classifier: { minRisk: 0.4, categories: { money: { action: "none" as const } } } };
    expect(categorySignals("can we refund the customer", classifier, noted)[0]?.action).toBe("none");
    const { risk } = readRisk(classifier, "refund the router settings");
    const above = { ...DEFAULT_ROUTING_POLICY, classifier: { minRisk: 0, categories: { money: { action: "hold" as const, minRisk: Math.min(1, risk + 0.01) } } } };
    // Just below the category's threshold: no hold, but noted as near it, so the answer is checked in full first.
    expect(categorySignals("refund the router settings", classifier, above)).toEqual([expect.objectContaining({ action: "none", near: true, topicId: "money" })]);
    const far = { ...DEFAULT_ROUTING_POLICY, classifier: { minRisk: 0, categories: { money: { action: "hold" as const, minRisk: Math.min(1, risk / 0.7) } } } };
    expect(categorySignals("refund the router settings", classifier, far)).toEqual([]);
    const below = { ...DEFAULT_ROUTING_POLICY, classifier: { minRisk: Math.max(0, risk - 0.01), categories: {} } };
    expect(categorySignals("refund the router settings", classifier, below)).toHaveLength(1);
    const { classifier: _omitted, ...older } = DEFAULT_ROUTING_POLICY;
    expect(categorySignals("can we refund the customer", classifier, older)[0]?.action).toBe("hold");
  });
});
