import { describe, expect, it } from "vitest";
import { topicLabel } from "./topic-label";

describe("topic labels", () => {
  const topics = [{ id: "refunds-credits", name: "Large refunds and credits" }];
  it("names an admin topic, a risk category, or keeps an unknown id", () => {
    expect(topicLabel("refunds-credits", topics)).toBe("Large refunds and credits");
    expect(topicLabel("child_safety", topics)).toBe("Child safety");
    expect(topicLabel("retired-topic", topics)).toBe("Retired-topic");
  });
});
