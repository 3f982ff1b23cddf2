import { describe, expect, it } from "vitest";
import { containsFact, parseAnswerQuestions, scoreAnswers } from "./score";

describe("answer scoring", () => {
  it("finds a fact as whole words, ignoring case, markup and citations", () => {
    expect(containsFact("Refunds are issued within **14 days** [2].", ["14 days"])).toBe(true);
    expect(containsFact("Refunds are issued within 114 days.", ["14 days"])).toBe(false);
    expect(containsFact("The fee is 15% [1] of the price.", ["25%", "15% of the price"])).toBe(true);
    expect(containsFact("Call us.", [])).toBe(false);
  });

  it("reads lines with their writer, and counts facts, ordinary releases and high-stakes holds", () => {
    const questions = parseAnswerQuestions(
      ['{"q": "a", "facts": ["14 days"], "ordinary": true}', '{"q": "b", "facts": ["$500"], "ordinary": false, "writer": "x"}'].join("\n"),
      "/tmp/sample-kb-a.jsonl",
    );
    expect(questions.map((q) => q.writer)).toEqual(["sample-kb-a", "x"]);
    const score = scoreAnswers(
      [
        { question: questions[0]!, text: "Within 14 days [1].", status: "complete" },
        { question: questions[1]!, text: "Up to $50 [1].", status: "held" },
      ],
      "all",
    );
    expect(score).toEqual({ writer: "all", withFacts: 2, factsFound: 1, ordinary: 1, ordinaryReleased: 1, highStakes: 1, highStakesHeld: 1 });
  });
});
