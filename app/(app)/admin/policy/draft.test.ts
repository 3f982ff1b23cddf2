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

  it("makes topic ids from names", () => {
    expect(slugify("  Warranty & Repairs! ")).toBe("warranty-repairs");
  });
});
