/** What the Evaluation pages show of runs: a summary, each kind's headline metrics, labels. */
import type { EvalRun } from "@/db/queries/evaluation";

export interface RunSummary {
  id: string;
  kind: EvalRun["kind"];
  status: EvalRun["status"];
  done: number;
  total: number;
  trigger: string;
  setId: string | null;
  setVersion: number | null;
  startedBy: string;
  createdAt: string;
  finishedAt: string | null;
  metrics: Record<string, number> | null;
  error: string | null;
}

export function runSummary(run: EvalRun): RunSummary {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    done: run.done,
    total: run.total,
    trigger: run.trigger,
    setId: run.setId,
    setVersion: run.setVersion,
    startedBy: run.startedBy,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    metrics: run.metrics,
    error: run.error,
  };
}

/** The metrics charted and listed first for each kind (all are shares from 0 to 1). */
export const HEADLINES: Record<EvalRun["kind"], { key: string; label: string }[]> = {
  retrieval: [
    { key: "hybrid.recall@5", label: "Hybrid recall@5" },
    { key: "hybrid.recall@10", label: "Hybrid recall@10" },
    { key: "hybrid.mrr", label: "Hybrid MRR" },
    { key: "keyword.recall@5", label: "Keyword recall@5" },
    { key: "vector.recall@5", label: "Vector recall@5" },
  ],
  answers: [
    { key: "answers.fact", label: "Fact in answer" },
    { key: "answers.cited", label: "Expected document cited" },
    { key: "answers.released", label: "Released without a hold" },
  ],
  routing: [
    { key: "routing.recall", label: "Recall (high-stakes held)" },
    { key: "routing.precision", label: "Precision (holds needed)" },
  ],
  "red-team": [{ key: "red-team.stopped", label: "Attacks held or refused" }],
};

export const KIND_LABELS: Record<EvalRun["kind"], string> = { retrieval: "Retrieval", answers: "Answers", routing: "Routing", "red-team": "Red team" };

export const formatShare = (v: number | undefined) => (v === undefined ? "—" : v.toFixed(3));
