import { describe, expect, it } from "vitest";
import type { RiskSignal } from "./assess";
import { heldReason, severityOf } from "./held-reason";

const signal = (s: Partial<RiskSignal> & Pick<RiskSignal, "kind">): RiskSignal => ({ score: 0.5, reason: "r", action: "hold", ...s });

describe("why a turn is held, in plain words", () => {
  it("names the category or topic before weaker reasons, whatever the order", () => {
    const signals = [
      signal({ kind: "grounding", score: 1 }),
      signal({ kind: "category", label: "money commitment", score: 0.8 }),
      signal({ kind: "pii", score: 1 }),
    ];
    expect(heldReason(signals)).toBe("money commitment");
    expect(severityOf(signals)).toBe(3);
  });

  it("prefers a refusal, skips signals that only note, and falls back to the kind's words", () => {
    expect(heldReason([signal({ kind: "topic", label: "Legal", score: 1 }), signal({ kind: "injection", action: "refuse", score: 0.7 })])).toBe("a possible prompt injection");
    expect(heldReason([signal({ kind: "category", label: "legal matter", action: "none" }), signal({ kind: "grounding" })])).toBe("an answer the sources do not fully support");
    expect(severityOf([signal({ kind: "grounding" })])).toBe(1);
    expect(heldReason([signal({ kind: "topic", action: "none" })])).toBeUndefined();
    expect(severityOf([])).toBe(0);
  });
});
