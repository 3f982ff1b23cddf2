import { describe, expect, it } from "vitest";
import { bootstrapMedianInterval, median } from "./stats";

describe("median", () => {
  it("takes the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("bootstrapMedianInterval", () => {
  it("brackets the median, narrows with agreeing values and repeats for the same values", () => {
    const spread = [0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 0.75, 0.88, 0.92];
    const [low, high] = bootstrapMedianInterval(spread);
    expect(low).toBeLessThanOrEqual(median(spread));
    expect(high).toBeGreaterThanOrEqual(median(spread));
    expect(high - low).toBeGreaterThan(0);
    expect(bootstrapMedianInterval(spread)).toEqual([low, high]);
    expect(bootstrapMedianInterval([0.9, 0.9, 0.9, 0.9])).toEqual([0.9, 0.9]);
  });
});
