import { describe, expect, it } from "vitest";
import { editDiff, wordChanges } from "./diff";

describe("review edit diff", () => {
  it("shows word changes and keeps a unified diff", () => {
    expect(wordChanges("Refunds take 14 days.", "Refunds take 30 days.")).toEqual([
      { text: "Refunds take ", kind: "same" },
      { text: "14", kind: "removed" },
      { text: "30", kind: "added" },
      { text: " days.", kind: "same" },
    ]);
    const patch = editDiff("Refunds take 14 days.", "Refunds take 30 days.");
    expect(patch).toContain("-Refunds take 14 days.");
    expect(patch).toContain("+Refunds take 30 days.");
  });
});
