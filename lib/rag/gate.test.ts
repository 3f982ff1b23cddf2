import { describe, expect, it } from "vitest";
import { createSentenceGate, lastSentenceEnd } from "./gate";

describe("sentence gate", () => {
  it("finds the end of the last complete sentence", () => {
    expect(lastSentenceEnd("One. Two")).toBe(4);
    expect(lastSentenceEnd("No end yet")).toBe(0);
    expect(lastSentenceEnd("v1.2 is out. Next")).toBe(12);
    expect(lastSentenceEnd("Para one\n\nPara")).toBe(10);
  });

  it("releases whole sentences that pass the check, and nothing after one that fails", async () => {
    const gate = createSentenceGate((t) => !t.includes("card 4111"));
    const out: string[] = [];
    for (const tok of ["Refunds ", "take 14 days", ". Your ", "card 4111", " was charged", ". More text."]) out.push(await gate.push(tok));
    out.push(await gate.flush());
    expect(out.join("")).toBe("Refunds take 14 days.");
    expect(gate.stopped).toBe(true);
    expect(gate.text).toBe("Refunds take 14 days. Your card 4111 was charged. More text.");
  });

  it("flushes the unfinished tail when it passes", async () => {
    const gate = createSentenceGate(() => true);
    expect(await gate.push("Hello there. And")).toBe("Hello there.");
    expect(await gate.flush()).toBe(" And");
  });
});
