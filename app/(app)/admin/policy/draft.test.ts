import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTING_POLICY } from "@/lib/review/default-policy";
import { routingPolicySchema } from "@/lib/review/policy";
import { fromDraft, slugify, toDraft } from "./draft";

describe("policy editor draft", () => {
  it("round-trips the default policy unchanged", () => {
    expect(fromDraft(toDraft(DEFAULT_ROUTING_POLICY))).toEqual(DEFAULT_ROUTING_POLICY);
  });

  it("drops blank lines, keeps an empty threshold out, and leaves bad numbers for the server to name", () => {
    const draft = toDraft(DEFAULT_ROUTING_POLICY);
    draft.topics[0] = { ...draft.topics[0]!, examples: "  first \n\n second ", threshold: "0.7" };
    draft.amount = "";
    const policy = fromDraft(draft);
    expect(policy.topics[0]).toMatchObject({ examples: ["first", "second"], threshold: 0.7 });
    expect(policy.topics[1]).not.toHaveProperty("threshold");
    expect(routingPolicySchema.safeParse(policy).error?.issues[0]?.path).toEqual(["amountLimit", "amount"]);
  });

  it("shows every classifier category, and stores only those that differ from holding at the common threshold", () => {
    const { classifier: _omitted, ...older } = DEFAULT_ROUTING_POLICY;
    const draft = toDraft(older);
    expect(draft.classifierMinRisk).toBe("0.35");
    expect(draft.categories.map((c) => c.id)).toContain("child_safety");
    expect(draft.categories.every((c) => c.action === "hold" && c.threshold === "")).toBe(true);
    draft.categories = draft.categories.map((c) => (c.id === "money" ? { ...c, action: "refuse", threshold: "0.7" } : c.id === "employment" ? { ...c, action: "none" } : c));
    expect(fromDraft(draft).classifier).toEqual({ minRisk: 0.35, categories: { money: { action: "refuse", minRisk: 0.7 }, employment: { action: "none" } } });
  });

  it("keeps a retrained classifier and the judge's setting through an edit", () => {
    const model = { sha256: "a".repeat(64), trainedAt: "2026-12-06T10:00:00.000Z", labels: 40, heldOut: 8 };
    const policy = { ...DEFAULT_ROUTING_POLICY, classifier: { minRisk: 0.4, categories: {}, model }, judge: { action: "none" as const } };
    expect(fromDraft(toDraft(policy))).toEqual(policy);
  });

  it("makes topic ids from names", () => {
    expect(slugify("  Warranty & Repairs! ")).toBe("warranty-repairs");
  });
});
