import { describe, expect, it } from "vitest";
import { defaultWeights, fuseRankings } from "./fusion";
import { hit } from "../../test/support/hits";

const summary = (fused: ReturnType<typeof fuseRankings>) =>
  fused.map((f) => [f.id, f.vectorRank, f.textRank, Number(f.rrfScore.toFixed(12)), Number(f.fusedScore.toFixed(12))]);

describe("fuseRankings", () => {
  it("computes weighted reciprocal-rank fusion exactly", () => {
    const fused = fuseRankings(
      { vector: [hit("a", 0.9), hit("b", 0.8), hit("c", 0.7)], text: [hit("b", 12.5), hit("d", 3)] },
      { vector: 0.2, text: 0.8 },
      60,
    );
    expect(summary(fused)).toEqual([
      ["b", 2, 1, 0.01634056055, 0.996774193548],
      ["d", null, 2, 0.012903225806, 0.787096774194],
      ["a", 1, null, 0.003278688525, 0.2],
      ["c", 3, null, 0.003174603175, 0.193650793651],
    ]);
    expect(fused[0]).toMatchObject({ vectorScore: 0.8, textScore: 12.5 });
    expect(fused[2]).toMatchObject({ vectorScore: 0.9, textScore: null });
    expect(fused[0]).not.toHaveProperty("score");
  });

  it("with equal weights, ties break by best rank and then id", () => {
    const fused = fuseRankings({ vector: [hit("x", 1), hit("y", 1)], text: [hit("y", 1), hit("x", 1), hit("z", 1)] }, { vector: 1, text: 1 }, 1);
    // x: 1/2 + 1/3, y: 1/3 + 1/2, z: 1/4
    expect(summary(fused)).toEqual([
      ["x", 1, 2, 0.833333333333, 0.833333333333],
      ["y", 2, 1, 0.833333333333, 0.833333333333],
      ["z", null, 3, 0.25, 0.25],
    ]);
  });

  it("counts an id repeated in one list once, at its first position", () => {
    const fused = fuseRankings({ vector: [hit("a", 1), hit("a", 0.5)], text: [] }, { vector: 1, text: 1 }, 0);
    expect(summary(fused)).toEqual([["a", 1, null, 1, 0.5]]);
  });

  it("a zero weight leaves that list's order out", () => {
    const fused = fuseRankings({ vector: [hit("a", 1)], text: [hit("b", 1)] }, { vector: 0, text: 1 }, 60);
    expect(fused.map((f) => [f.id, f.rrfScore])).toEqual([
      ["b", 1 / 61],
      ["a", 0],
    ]);
    expect(() => fuseRankings({ vector: [], text: [] }, { vector: 0, text: 0 })).toThrow(/not both zero/);
  });

  it("weights BM25 over a static embedder and evenly for a transformer", () => {
    expect(defaultWeights("static")).toEqual({ vector: 0.1, text: 0.9 });
    expect(defaultWeights("transformer")).toEqual({ vector: 0.5, text: 0.5 });
    expect(defaultWeights("remote")).toEqual({ vector: 0.5, text: 0.5 });
  });
});
