/**
 * Retrieval evaluation core: recall@k, MRR and latency over questions with
 * expected source files. The eval script supplies `search` (BM25, dense or
 * hybrid) and prints the result.
 */

export interface EvalQuestion {
  q: string;
  /** File names any of which counts as a correct source. */
  expect: string[];
}

export interface EvalOptions {
  questions: readonly EvalQuestion[];
  /** Returns the file name of each retrieved chunk, best first. */
  search: (q: string) => Promise<string[]>;
  ks?: readonly number[];
  /** Injected clock for tests. */
  now?: () => number;
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

/** File names compare by base name, case-insensitively (paths and case differ between tools). */
function normalise(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() ?? fileName).toLowerCase();
}

/** Questions run one after another so latencies are not inflated by each other. */
export async function evaluateRetrieval(options: EvalOptions): Promise<EvalResult> {
  const ks = [...(options.ks ?? [5, 10])].sort((a, b) => a - b);
  const cutoff = ks[ks.length - 1] ?? 10;
  const now = options.now ?? (() => performance.now());
  const outcomes: QuestionOutcome[] = [];
  for (const question of options.questions) {
    const start = now();
    const files = await options.search(question.q);
    const latencyMs = now() - start;
    const wanted = new Set(question.expect.map(normalise));
    const index = files.slice(0, cutoff).findIndex((f) => wanted.has(normalise(f)));
    outcomes.push({ q: question.q, expect: question.expect, firstHit: index < 0 ? null : index + 1, top: files.slice(0, cutoff), latencyMs });
  }
  const n = outcomes.length;
  const recallAt: Record<number, number> = {};
  for (const k of ks) recallAt[k] = n === 0 ? 0 : outcomes.filter((o) => o.firstHit !== null && o.firstHit <= k).length / n;
  const mrr = n === 0 ? 0 : outcomes.reduce((sum, o) => sum + (o.firstHit === null ? 0 : 1 / o.firstHit), 0) / n;
  const latencies = outcomes.map((o) => o.latencyMs);
  return { questions: n, recallAt, mrr, latencyP50: percentile(latencies, 50), latencyP95: percentile(latencies, 95), outcomes };
}
