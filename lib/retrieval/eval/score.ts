/**
 * Scoring ranked file lists against expected files. Unlike evaluateRetrieval
 * (base names only), an expectation with a folder must match that relative
 * path: a manual has an index.html in every folder, and "vhosts/index.html"
 * must not be found by "mod/index.html".
 */
import { percentile, type EvalQuestion, type EvalResult, type QuestionOutcome } from "../evaluate";

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
