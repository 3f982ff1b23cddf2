/** Asks every question through retrieve() under several fusion weightings and scores each. */
import type { Embedder } from "@/lib/embeddings/types";
import type { VectorStore } from "@/lib/vectorstore";
import type { EvalQuestion, EvalResult } from "./retrieval-score";
import { defaultWeights, type FusionWeights } from "@/lib/retrieval/fusion";
import { retrieve } from "@/lib/retrieval/retrieve";
import { scoreRankings, type RankedFiles } from "./retrieval-score";

export interface EvalMode {
  name: string;
  weights: FusionWeights;
}

/** BM25 alone, dense alone, and the embedder kind's default hybrid. */
export function standardModes(kind: Embedder["kind"]): EvalMode[] {
  const hybrid = defaultWeights(kind);
  return [
    { name: "bm25", weights: { vector: 0, text: 1 } },
    { name: "dense", weights: { vector: 1, text: 0 } },
    { name: `hybrid ${hybrid.vector}/${hybrid.text}`, weights: hybrid },
  ];
}

export interface ModeResult extends EvalResult {
  mode: EvalMode;
}

export interface RunModesParams {
  questions: readonly EvalQuestion[];
  modes: readonly EvalMode[];
  embedder: Pick<Embedder, "embed" | "kind" | "countTokens">;
  store: Pick<VectorStore, "searchVector" | "searchText">;
  kbIds: readonly string[];
  /** Chunks ranked per question: the largest k scored (default 10). */
  depth?: number;
  ks?: readonly number[];
  /** Called after each question with the count asked so far, over all modes. */
  onProgress?: (done: number) => void | Promise<void>;
}

/**
 * Questions run one after another so latencies do not inflate each other.
 * The production path is used as is (duplicate dropping included) except the
 * token budget, which would otherwise cut the list well before 10 chunks.
 */
export async function runModes(params: RunModesParams): Promise<ModeResult[]> {
  const ks = params.ks ?? [5, 10];
  const depth = params.depth ?? Math.max(...ks);
  const out: ModeResult[] = [];
  let asked = 0;
  for (const mode of params.modes) {
    const ranked: RankedFiles[] = [];
    for (const question of params.questions) {
      const result = await retrieve({
        query: question.q,
        kbIds: params.kbIds,
        embedder: params.embedder,
        store: params.store,
        k: depth,
        weights: mode.weights,
        tokenBudget: Number.POSITIVE_INFINITY,
      });
      ranked.push({ files: result.chunks.map((c) => c.fileName), latencyMs: result.timings.totalMs });
      await params.onProgress?.(++asked);
    }
    out.push({ mode, ...scoreRankings(params.questions, ranked, ks) });
  }
  return out;
}

/** A fixed-width table: one row per mode. */
export function formatResults(results: readonly ModeResult[], ks: readonly number[] = [5, 10]): string {
  const header = ["mode".padEnd(20), ...ks.map((k) => `recall@${k}`.padStart(9)), "MRR".padStart(6), "p50 ms".padStart(7), "p95 ms".padStart(7)].join("  ");
  const rows = results.map((r) =>
    [
      r.mode.name.padEnd(20),
      ...ks.map((k) => (r.recallAt[k] ?? 0).toFixed(3).padStart(9)),
      r.mrr.toFixed(3).padStart(6),
      r.latencyP50.toFixed(1).padStart(7),
      r.latencyP95.toFixed(1).padStart(7),
    ].join("  "),
  );
  return [header, ...rows].join("\n");
}
