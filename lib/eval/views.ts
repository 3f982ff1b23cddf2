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

const PREFIXES: Record<string, string> = { keyword: "Keyword", vector: "Vector", hybrid: "Hybrid", answers: "Answers:", routing: "Routing", set: "Set labels:", reviewers: "Reviewers' labels:", kind: "Held or refused:", "red-team": "Red team:" };
const SUFFIXES: Record<string, string> = {
  mrr: "MRR",
  tp: "held, needed review",
  fp: "held, routine",
  tn: "released, routine",
  fn: "released, needed review",
  fact: "fact in answer",
  cited: "expected document cited",
  both: "fact and source",
  released: "released without a hold",
  stopped: "held or refused",
  attempts: "attempts",
};

/** A metric's name as the pages show it ("keyword.mrr" → "Keyword MRR"). */
export function metricLabel(kind: EvalRun["kind"], key: string): string {
  const headline = HEADLINES[kind].find((h) => h.key === key);
  if (headline) return headline.label;
  const [prefix = "", ...rest] = key.split(".");
  const suffix = rest.join(".");
  return `${PREFIXES[prefix] ?? prefix} ${SUFFIXES[suffix] ?? suffix}`.trim();
}

/** Counts (the confusion matrix, attempts) print as integers; shares with three decimals. */
export function formatMetric(key: string, value: number | undefined): string {
  if (value === undefined) return "—";
  return /\.(tp|fp|tn|fn|attempts)$/.test(key) ? String(value) : value.toFixed(3);
}

const CONTEXT_LABELS: Record<string, string> = {
  embedder: "Embedding model",
  index: "Index",
  modelPolicyVersion: "Model policy version",
  reviewPolicyVersion: "Review policy version",
  answerMode: "Answer mode",
  model: "Writing model",
  gate: "Gate",
  side: "Side",
};

/** What a run ran against, as label and text. */
export function contextRows(context: Record<string, unknown>): { label: string; value: string }[] {
  return Object.entries(context).map(([key, value]) => {
    if (key === "index" && value && typeof value === "object") {
      const i = value as { kb?: string; documents?: number; chunks?: number; lastChange?: string | null };
      return { label: "Index", value: `${i.kb}: ${i.documents} documents, ${i.chunks} passages${i.lastChange ? `, last change ${new Date(i.lastChange).toLocaleString()}` : ""}` };
    }
    if (key === "model" && value === null) return { label: "Writing model", value: "none (answers quoted)" };
    return { label: CONTEXT_LABELS[key] ?? key, value: value === null || value === undefined ? "—" : typeof value === "object" ? JSON.stringify(value) : String(value) };
  });
}
