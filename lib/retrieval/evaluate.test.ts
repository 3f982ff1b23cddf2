import { describe, expect, it } from "vitest";
import { evaluateRetrieval, percentile } from "./evaluate";

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const v = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([], 50)).toBe(0);
  });
});

describe("evaluateRetrieval", () => {
  it("computes recall@k, MRR and latency percentiles", async () => {
    const answers: Record<string, string[]> = {
      q1: ["a.md", "b.md"], // hit at 1
      q2: ["x.md", "y.md", "z.md", "w.md", "v.md", "u.md", "docs/B.MD"], // hit at 7
      q3: ["x.md"], // miss
      q4: ["x.md", "c.pdf"], // hit at 2
    };
    let clock = 0;
    const latencies = [5, 20, 10, 40];
    const result = await evaluateRetrieval({
      questions: [
        { q: "q1", expect: ["a.md"] },
        { q: "q2", expect: ["b.md"] },
        { q: "q3", expect: ["a.md"] },
        { q: "q4", expect: ["c.pdf", "a.md"] },
      ],
      search: async (q) => {
        clock += latencies.shift()!;
        return answers[q]!;
      },
      ks: [10, 5],
      now: () => clock,
    });
    expect(result.recallAt).toEqual({ 5: 0.5, 10: 0.75 });
    expect(result.mrr).toBeCloseTo((1 + 1 / 7 + 0 + 1 / 2) / 4, 12);
    expect([result.latencyP50, result.latencyP95]).toEqual([10, 40]);
    expect(result.outcomes.map((o) => o.firstHit)).toEqual([1, 7, null, 2]);
  });
});
