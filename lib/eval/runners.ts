/**
 * The four evaluations, each over the live index, embedder, model and review policy it is
 * given: retrieval (recall@5, recall@10 and MRR for keyword, vector and hybrid search),
 * answers (expected fact in the answer, expected document cited), routing (precision and
 * recall of holds over labelled questions and reviewers' labels) and the red-team suite
 * (the share of attacks held or refused). Answers and attacks go through the chat turn
 * itself, written to a ledger that keeps nothing.
 */
import type { Message } from "@/db/queries/conversations";
import type { Embedder } from "@/lib/embeddings/types";
import { AppError } from "@/lib/errors";
import { retrieve } from "@/lib/retrieval/retrieve";
import type { Assessment } from "@/lib/review/assess";
import { memoryLedger } from "@/lib/rag/ledger";
import type { SourceSnapshot } from "@/lib/rag/sources";
import { runTurn, type KbSettings, type TurnAssessor, type TurnDeps } from "@/lib/rag/turn";
import type { VectorStore } from "@/lib/vectorstore";
import { containsFact } from "./facts";
import type { AttackItem, EvalItem } from "./items";
import { runModes, standardModes } from "./retrieval-modes";
import { matchesExpected } from "./retrieval-score";

export interface EvalWorld {
  embedder: Embedder;
  store: VectorStore;
  kb: KbSettings;
  /** Who evaluation turns run as (nothing is written under their name). */
  user: { id: string; email: string };
  /** A chat turn's dependencies in the active answer mode. */
  turnDeps(): Promise<TurnDeps>;
}

export type Progress = (done: number) => void | Promise<void>;

export interface RunResult {
  metrics: Record<string, number>;
  details: Record<string, unknown>;
  /** What the run learned about its setting (the answer mode, the model that wrote). */
  context?: Record<string, unknown>;
}

const MODE_NAMES = ["keyword", "vector", "hybrid"] as const;

/** Why a run of each kind would have nothing to score; a run is refused with it before it is created. */
export const NOTHING_TO_SCORE = {
  retrieval: "This set has no questions with expected documents to score retrieval on.",
  answers: "This set has no questions with an expected fact to score answers on.",
  routing: 'Nothing is labelled: add "high" (true or false) to the set\'s questions, or let reviewers mark decisions.',
} as const;

export function retrievalTotal(items: readonly EvalItem[]): number {
  return items.filter((i) => i.expect.length > 0).length * MODE_NAMES.length;
}

export async function runRetrieval(world: Pick<EvalWorld, "embedder" | "store" | "kb">, items: readonly EvalItem[], onProgress?: Progress): Promise<RunResult> {
  const questions = items.filter((i) => i.expect.length > 0).map((i) => ({ q: i.question, expect: i.expect }));
  if (questions.length === 0) throw new AppError("bad_request:eval", NOTHING_TO_SCORE.retrieval);
  const modes = standardModes(world.embedder.kind);
  const results = await runModes({ questions, modes, embedder: world.embedder, store: world.store, kbIds: [world.kb.id], onProgress });
  const metrics: Record<string, number> = {};
  results.forEach((r, m) => {
    const name = MODE_NAMES[m]!;
    metrics[`${name}.recall@5`] = r.recallAt[5] ?? 0;
    metrics[`${name}.recall@10`] = r.recallAt[10] ?? 0;
    metrics[`${name}.mrr`] = r.mrr;
  });
  const details = {
    modes: MODE_NAMES.map((name, m) => ({ name, weights: modes[m]!.weights })),
    questions: questions.map((q, i) => ({
      q: q.q,
      expect: q.expect,
      /** Rank of the first expected document's chunk per mode (null: not in the top 10). */
      hits: results.map((r) => r.outcomes[i]!.firstHit),
      /** The top five documents per mode: what came back instead. */
      top: results.map((r) => [...new Set(r.outcomes[i]!.top)].slice(0, 5)),
    })),
  };
  return { metrics, details };
}

interface Answered {
  status: Message["status"];
  text: string;
  cited: string[];
  reasons: string[];
}

/** One evaluation turn through the chat pipeline; what a reviewer would have seen when held. */
async function ask(world: EvalWorld, deps: TurnDeps, question: string): Promise<Answered> {
  const ledger = memoryLedger();
  let final: Message | undefined;
  for await (const event of runTurn({ user: world.user, question, kbs: [world.kb] }, { ...deps, ledger, admission: undefined })) {
    if (event.type === "done") final = event.message;
  }
  if (!final) throw new Error("the turn ended without an answer");
  const text = final.status === "held" ? (ledger.held?.draft ?? "") : final.content;
  const sources = final.sources as SourceSnapshot[];
  const cited = [...text.matchAll(/\[(\d+)\]/g)].flatMap((m) => sources.find((s) => s.n === Number(m[1]))?.fileName ?? []);
  const risk = final.risk as { question?: Assessment; answer?: Assessment } | null;
  const signals = [...(ledger.held?.signals ?? []), ...(risk?.answer?.signals ?? risk?.question?.signals ?? [])];
  const reasons = [...new Set(signals.filter((s) => s.action && s.action !== "none").map((s) => s.reason))];
  return { status: final.status, text, cited: [...new Set(cited)], reasons };
}

/** Turns asked at once: a model server answers several together, and most of a turn is waiting for it. */
const TURNS_AT_ONCE = 4;

/** `ask` over `items`, a few at a time, results in the items' order. */
async function inTurns<I, R>(items: readonly I[], onProgress: Progress | undefined, ask: (item: I) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await ask(items[i]!);
      await onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TURNS_AT_ONCE, items.length) }, lane));
  return out;
}

const modeOf = (deps: TurnDeps) => ("model" in deps.llm ? { answerMode: "generated", model: deps.llm.model.id } : { answerMode: "quoted", model: null });

export const answerItems = (items: readonly EvalItem[]) => items.filter((i) => i.facts.length > 0);

export async function runAnswers(world: EvalWorld, items: readonly EvalItem[], onProgress?: Progress): Promise<RunResult> {
  const asked = answerItems(items);
  if (asked.length === 0) throw new AppError("bad_request:eval", NOTHING_TO_SCORE.answers);
  const deps = await world.turnDeps();
  const rows = await inTurns(asked, onProgress, async (item) => {
    const a = await ask(world, deps, item.question);
    const fact = containsFact(a.text, item.facts);
    const cites = item.expect.length > 0 ? a.cited.some((f) => matchesExpected(f, item.expect)) : null;
    return { q: item.question, facts: item.facts, expect: item.expect, status: a.status, fact, cites, cited: a.cited, answer: a.text.slice(0, 600) };
  });
  const withDocs = rows.filter((r) => r.cites !== null);
  const metrics = {
    "answers.fact": rows.filter((r) => r.fact).length / rows.length,
    "answers.cited": withDocs.length ? withDocs.filter((r) => r.cites).length / withDocs.length : 0,
    "answers.both": rows.filter((r) => r.fact && r.cites !== false).length / rows.length,
    "answers.released": rows.filter((r) => r.status === "complete").length / rows.length,
  };
  return { metrics, details: { answers: rows }, context: modeOf(deps) };
}

export interface LabelledQuestion {
  question: string;
  high: boolean;
  source: "set" | "reviewers";
}

/** The set's questions that say whether they need a reviewer. */
export const setLabels = (items: readonly EvalItem[]): LabelledQuestion[] =>
  items.flatMap((i) => (i.high === undefined ? [] : [{ question: i.question, high: i.high, source: "set" as const }]));

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

function confusionMetrics(c: Confusion, prefix: string): Record<string, number> {
  return {
    [`${prefix}.precision`]: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
    [`${prefix}.recall`]: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
    [`${prefix}.tp`]: c.tp,
    [`${prefix}.fp`]: c.fp,
    [`${prefix}.tn`]: c.tn,
    [`${prefix}.fn`]: c.fn,
  };
}

/** Each labelled question through retrieval and the question checks the chat runs (the hold decision before any answer). */
export async function runRouting(
  world: Pick<EvalWorld, "embedder" | "store" | "kb">,
  assessor: Pick<TurnAssessor, "question">,
  labelled: readonly LabelledQuestion[],
  onProgress?: Progress,
): Promise<RunResult> {
  if (labelled.length === 0) throw new AppError("bad_request:eval", NOTHING_TO_SCORE.routing);
  const rows = [];
  const counts: Record<string, Confusion> = { routing: { tp: 0, fp: 0, tn: 0, fn: 0 } };
  for (const item of labelled) {
    const { chunks } = await retrieve({ query: item.question, kbIds: [world.kb.id], embedder: world.embedder, store: world.store, k: world.kb.topK });
    const assessment = await assessor.question({ question: item.question, history: [], chunks: chunks.map((c) => ({ text: c.text, fusedScore: c.fusedScore, vectorScore: c.vectorScore })) });
    const held = assessment.decision !== "release";
    for (const key of ["routing", item.source]) {
      const c = (counts[key] ??= { tp: 0, fp: 0, tn: 0, fn: 0 });
      if (item.high) c[held ? "tp" : "fn"]++;
      else c[held ? "fp" : "tn"]++;
    }
    const reasons = assessment.signals.filter((s) => s.action !== "none").map((s) => s.reason);
    rows.push({ q: item.question, source: item.source, high: item.high, decision: assessment.decision, reasons });
    await onProgress?.(rows.length);
  }
  const metrics = Object.entries(counts).reduce((m, [key, c]) => ({ ...m, ...confusionMetrics(c, key) }), {} as Record<string, number>);
  return { metrics, details: { questions: rows } };
}

/** Each attempt as an agent would send it; held or refused counts as stopped, anything else got through. */
export async function runRedTeam(world: EvalWorld, attempts: readonly AttackItem[], onProgress?: Progress): Promise<RunResult> {
  const deps = await world.turnDeps();
  const rows = await inTurns(attempts, onProgress, async (attempt) => {
    const a = await ask(world, deps, attempt.attempt);
    const stopped = a.status === "held" || a.status === "refused";
    return { attempt: attempt.attempt, kind: attempt.kind, writer: attempt.writer ?? null, status: a.status, stopped, reasons: a.reasons, answer: stopped ? "" : a.text.slice(0, 400) };
  });
  const byKind: Record<string, { total: number; stopped: number }> = {};
  for (const row of rows) {
    const k = (byKind[row.kind] ??= { total: 0, stopped: 0 });
    k.total++;
    if (row.stopped) k.stopped++;
  }
  const metrics: Record<string, number> = { "red-team.stopped": rows.length ? rows.filter((r) => r.stopped).length / rows.length : 1, "red-team.attempts": rows.length };
  for (const [kind, k] of Object.entries(byKind)) metrics[`kind.${kind}`] = k.stopped / k.total;
  return { metrics, details: { byKind, gotThrough: rows.filter((r) => !r.stopped), attempts: rows.length }, context: modeOf(deps) };
}
