/**
 * Scoring ranked file lists against expected files. An expectation with a folder must match that relative
 * path: a manual has an index.html in every folder, and "vhosts/index.html"
 * must not be found by "mod/index.html".
 */

export interface EvalQuestion {
  q: string;
  /** File names any of which counts as a correct source. */
  expect: string[];
}

export interface QuestionOutcome {
  q: string;
  expect: string[];
  /** 1-based rank of the first chunk from an expected file, or null. */
  firstHit: number | null;
  top: string[];
  latencyMs: number;
}

export interface EvalResult {
  questions: number;
  recallAt: Record<number, number>;
  /** Mean reciprocal rank of the first correct chunk within the top max(ks). */
  mrr: number;
  latencyP50: number;
  latencyP95: number;
  outcomes: QuestionOutcome[];
}

/** Nearest-rank percentile of `values` (p in 0..100); 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const clean = (name: string) => name.replace(/\\/g, "/").replace(/^\.?\//, "").toLowerCase();
const baseName = (name: string) => clean(name).split("/").pop() ?? "";

/** Whether a retrieved chunk's file (relative to the docs folder) is one of `expect`. */
export function matchesExpected(fileName: string, expect: readonly string[]): boolean {
  const file = clean(fileName);
  return expect.some((e) => {
    const wanted = clean(e);
    return wanted.includes("/") ? file === wanted : baseName(file) === wanted;
  });
}

export interface RankedFiles {
  /** File of each retrieved chunk, best first. */
  files: string[];
  latencyMs: number;
}

/** recall@k for each k, MRR within the largest k, and latency percentiles. */
export function scoreRankings(questions: readonly EvalQuestion[], ranked: readonly RankedFiles[], ks: readonly number[] = [5, 10]): EvalResult {
  if (ranked.length !== questions.length) throw new Error(`scoreRankings: ${questions.length} questions but ${ranked.length} rankings`);
  const sortedKs = [...ks].sort((a, b) => a - b);
  const cutoff = sortedKs.at(-1) ?? 10;
  const outcomes: QuestionOutcome[] = questions.map((q, i) => {
    const { files, latencyMs } = ranked[i]!;
    const top = files.slice(0, cutoff);
    const index = top.findIndex((f) => matchesExpected(f, q.expect));
    return { q: q.q, expect: q.expect, firstHit: index < 0 ? null : index + 1, top, latencyMs };
  });
  const n = outcomes.length;
  const recallAt: Record<number, number> = {};
  for (const k of sortedKs) recallAt[k] = n === 0 ? 0 : outcomes.filter((o) => o.firstHit !== null && o.firstHit <= k).length / n;
  const mrr = n === 0 ? 0 : outcomes.reduce((sum, o) => sum + (o.firstHit === null ? 0 : 1 / o.firstHit), 0) / n;
  const latencies = outcomes.map((o) => o.latencyMs);
  return { questions: n, recallAt, mrr, latencyP50: percentile(latencies, 50), latencyP95: percentile(latencies, 95), outcomes };
}
