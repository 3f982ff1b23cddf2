import { describe, expect, it } from "vitest";
import { buildRewritePrompt, isFollowUp, rewriteQuery, rewriteQueryHeuristic, type ChatTurn } from "./rewrite";

const history: ChatTurn[] = [
  { role: "user", content: "How do refunds work for annual plans?" },
  { role: "assistant", content: "Annual plans are refunded pro rata [1]." },
];

describe("isFollowUp", () => {
  it("spots connectives and pronouns that point back", () => {
    expect(isFollowUp("And for monthly plans?")).toBe(true);
    expect(isFollowUp("what about Germany")).toBe(true);
    expect(isFollowUp("How long does it take?")).toBe(true);
    expect(isFollowUp("How do I reset my password?")).toBe(false);
    expect(isFollowUp("Android app crashes on login")).toBe(false);
  });
});

describe("rewriteQueryHeuristic", () => {
  it("leaves a standalone question or an empty history alone", () => {
    expect(rewriteQueryHeuristic(history, " How do I reset my password? ")).toEqual({ query: "How do I reset my password?", method: "unchanged" });
    expect(rewriteQueryHeuristic([], "How long does it take?")).toEqual({ query: "How long does it take?", method: "unchanged" });
  });

  it("carries the previous question's words into a follow-up", () => {
    expect(rewriteQueryHeuristic(history, "How long does it take?")).toEqual({
      query: "how do refunds work for annual plans How long does it take?",
      method: "heuristic",
    });
  });

  it("walks back through chained follow-ups to the question that named the topic", () => {
    const chained: ChatTurn[] = [
      { role: "user", content: "Shipping to Canada" },
      { role: "user", content: "How much does it cost?" },
      { role: "assistant", content: "It costs $12." },
    ];
    expect(rewriteQueryHeuristic(chained, "and to Mexico?").query).toBe("shipping to canada how much does it cost and to Mexico?");
  });
});

describe("rewriteQuery", () => {
  it("uses the LLM's first line, cleaned, for a follow-up", async () => {
    const prompts: string[] = [];
    const llm = async (prompt: string) => {
      prompts.push(prompt);
      return 'Standalone query: "How long do refunds for annual plans take?"\nextra';
    };
    expect(await rewriteQuery(history, "How long does it take?", llm)).toEqual({
      query: "How long do refunds for annual plans take?",
      method: "llm",
    });
    expect(prompts).toEqual([buildRewritePrompt(history, "How long does it take?")]);
    expect(prompts[0]).toContain("User: How do refunds work for annual plans?\nAssistant: Annual plans are refunded pro rata [1].");
  });

  it("does not call the LLM for a standalone question unless asked to", async () => {
    let calls = 0;
    const llm = async () => {
      calls++;
      return "rewritten";
    };
    expect(await rewriteQuery(history, "Reset my password", llm)).toEqual({ query: "Reset my password", method: "unchanged" });
    expect(calls).toBe(0);
    expect(await rewriteQuery(history, "Reset my password", llm, { alwaysAskLlm: true })).toEqual({ query: "rewritten", method: "llm" });
    expect(await rewriteQuery([], "what about it", llm)).toEqual({ query: "what about it", method: "unchanged" });
    expect(calls).toBe(1);
  });

  it("falls back to the heuristic when the LLM fails or answers nothing", async () => {
    const failing = async () => {
      throw new Error("LLM down");
    };
    const expected = { query: "how do refunds work for annual plans And monthly?", method: "heuristic" };
    expect(await rewriteQuery(history, "And monthly?", failing)).toEqual(expected);
    expect(await rewriteQuery(history, "And monthly?", async () => "  \n")).toEqual(expected);
  });
});
