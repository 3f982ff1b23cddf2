import { describe, expect, it } from "vitest";
import { globMatcher } from "./glob";
import { parseEvalQuestions } from "./questions";
import { matchesExpected, percentile, scoreRankings } from "@/lib/eval/retrieval-score";
import { buildSearchText } from "@/lib/vectorstore/lancedb-schema";
import { CURRENT_LAYOUT, layoutSearchText, SEARCH_TEXT_LAYOUTS } from "./variants";

describe("matchesExpected", () => {
  it("matches a relative path exactly and a bare name by base name, ignoring case and ./", () => {
    expect(matchesExpected("vhosts/name-based.html", ["vhosts/name-based.html"])).toBe(true);
    expect(matchesExpected("vhosts/index.html", ["./VHosts/index.html"])).toBe(true);
    expect(matchesExpected("mod/index.html", ["vhosts/index.html"])).toBe(false);
    expect(matchesExpected("mod/index.html", ["index.html"])).toBe(true);
    expect(matchesExpected("refunds-and-returns.pdf", ["billing.docx", "Refunds-and-Returns.pdf"])).toBe(true);
    expect(matchesExpected("a\\b.md", ["a/b.md"])).toBe(true);
  });
});

describe("scoreRankings", () => {
  it("computes recall at each k, MRR within the largest k, and nearest-rank latency percentiles", () => {
    const questions = [
      { q: "one", expect: ["a.md"] },
      { q: "two", expect: ["x/b.md"] },
      { q: "three", expect: ["c.md"] },
      { q: "four", expect: ["d.md"] },
    ];
    const result = scoreRankings(
      questions,
      [
        { files: ["a.md", "b.md"], latencyMs: 4 },
        { files: ["y/b.md", "z.md", "q.md", "r.md", "s.md", "t.md", "x/b.md"], latencyMs: 1 },
        { files: ["z.md", "c.md"], latencyMs: 3 },
        { files: ["z.md"], latencyMs: 2 },
      ],
      [1, 5],
    );
    expect(result.recallAt).toEqual({ 1: 0.25, 5: 0.5 });
    expect(result.mrr).toBeCloseTo((1 + 0.5) / 4, 10);
    expect(result.outcomes.map((o) => o.firstHit)).toEqual([1, null, 2, null]);
    expect([result.latencyP50, result.latencyP95]).toEqual([2, 4]);
  });

  it("refuses rankings that do not line up with the questions", () => {
    expect(() => scoreRankings([{ q: "a", expect: ["a"] }], [])).toThrow(/1 questions but 0 rankings/);
  });
});

describe("parseEvalQuestions", () => {
  it("reads JSONL, skips blank lines and names the bad line", () => {
    expect(parseEvalQuestions('{"q":" hi ","expect":["a.md"]}\n\n')).toEqual([{ q: "hi", expect: ["a.md"] }]);
    expect(() => parseEvalQuestions('{"q":"ok","expect":["a"]}\n{"q":"no files","expect":[]}', "f.jsonl")).toThrow(/^f.jsonl line 2: expect/);
    expect(() => parseEvalQuestions("{oops", "f.jsonl")).toThrow(/^f.jsonl line 1: not JSON/);
  });
});

describe("globMatcher", () => {
  it("tests base names unless the pattern has a folder; * stays in a folder, ** crosses folders", () => {
    expect(globMatcher("*.html")("mod/core.html")).toBe(true);
    expect(globMatcher("*.html")("mod/core.html.fr")).toBe(false);
    expect(globMatcher("mod/*.html")("mod/core.html")).toBe(true);
    expect(globMatcher("mod/*.html")("mod/x/core.html")).toBe(false);
    expect(globMatcher("**/*.html")("mod/x/core.html")).toBe(true);
    expect(globMatcher("core.htm?")("core.html")).toBe(true);
    expect(globMatcher("a+b(1).md")("a+b(1).md")).toBe(true);
  });
});

describe("layoutSearchText", () => {
  const chunk = { title: "Guide", headingPath: "Guide > Refunds", text: "Body.", fileName: "docs/refunds-and-returns.pdf" };
  it("repeats title and heading path before the text as many times as asked", () => {
    expect(layoutSearchText(chunk, { name: "", headingRepeats: 0 })).toBe("Body.");
    expect(layoutSearchText(chunk, { name: "", headingRepeats: 2 })).toBe("Guide > Refunds\nGuide > Refunds\nBody.");
    expect(layoutSearchText({ ...chunk, title: "Manual" }, { name: "", headingRepeats: 1 })).toBe("Manual\nGuide > Refunds\nBody.");
    expect(layoutSearchText({ title: "", headingPath: "", text: "Body.", fileName: "x.md" }, { name: "", headingRepeats: 3 })).toBe("Body.");
    expect(layoutSearchText(chunk, { name: "", headingRepeats: 1, fileName: true })).toBe("docs refunds and returns\nGuide > Refunds\nBody.");
  });

  it("has a current layout that is exactly what the store indexes", () => {
    for (const c of [chunk, { ...chunk, title: "Manual" }, { title: "", headingPath: "", text: "x", fileName: "" }]) {
      expect(layoutSearchText(c, SEARCH_TEXT_LAYOUTS[CURRENT_LAYOUT]!)).toBe(buildSearchText(c));
    }
  });
});

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const v = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([], 50)).toBe(0);
  });
});
