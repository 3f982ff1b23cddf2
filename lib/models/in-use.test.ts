import { describe, expect, it } from "vitest";
import { answersBy } from "./in-use";

describe("how the chat answers, as Admin › Models says it", () => {
  it("quotes unless an instruct model is allowed, in auto", () => {
    expect(answersBy("auto", { id: "stories260k", kind: "test" })).toBe(
      'Answers are quoted from the knowledge base: stories260k is marked "test", and only a model marked "instruct" writes answers (ANSWER_MODE=auto).',
    );
    expect(answersBy("auto", { id: "qwen2.5-1.5b-instruct-q4km", kind: "instruct" })).toBe("Answers are written by qwen2.5-1.5b-instruct-q4km.");
    expect(answersBy("auto", undefined)).toBe("Answers are quoted from the knowledge base: no generation model is allowed to run.");
  });

  it("lets any allowed model write in generate, and none in quote", () => {
    expect(answersBy("generate", { id: "stories260k", kind: "test" })).toBe("Answers are written by stories260k.");
    expect(answersBy("quote", { id: "qwen", kind: "instruct" })).toBe("Answers are quoted from the knowledge base: ANSWER_MODE is set to quote.");
  });
});
