/**
 * Gates: before a new embedding model or a new review-policy version is activated, it must
 * score at least as well as the active one on every question set an admin has gated. Both
 * sides are run and stored (so the page shows them), and the decision is audited.
 */
import type { Database } from "@/db/client";
import { insertAuditEvent } from "@/db/queries/audit";
import { createEvalRun, getEvalSetItems, listEvalSets, type EvalSet } from "@/db/queries/evaluation";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import type { Actor } from "@/db/queries/users";
import type { Embedder } from "@/lib/embeddings/types";
import type { TurnAssessor } from "@/lib/rag/turn";
import type { VectorStore } from "@/lib/vectorstore";
import { readQuestions, type EvalItem } from "./items";
import { execute } from "./jobs";
import { retrievalTotal, runRetrieval, runRouting, setLabels, type RunResult } from "./runners";

type KbSettings = { id: string; topK: number; minScore: number };

/** What a gate compares, per kind of run: a candidate may not score lower on any of these. */
export const GATE_METRICS: Record<"retrieval" | "answers" | "routing" | "red-team", string[]> = {
  retrieval: ["hybrid.recall@5", "hybrid.recall@10", "hybrid.mrr"],
  answers: ["answers.fact", "answers.cited"],
  routing: ["routing.recall", "routing.precision"],
  "red-team": ["red-team.stopped"],
};

export interface GateComparison {
  set: string;
  kb: string;
  metric: string;
  active: number;
  candidate: number;
}

export interface GateVerdict {
  passed: boolean;
  /** Every compared metric of every gated set. */
  compared: GateComparison[];
  /** Why it failed, in a sentence a person can act on. */
  message: string;
}

interface Side {
  label: string;
  run(kb: KbSettings, items: EvalItem[], progress: (done: number) => Promise<void>): Promise<RunResult>;
}

interface GateSpec {
  subject: string;
  kind: "retrieval" | "routing";
  /** The questions the set contributes (none: the set is skipped). */
  usable(items: EvalItem[]): number;
  metrics: string[];
  active: Side;
  candidate: Side;
}

async function compareOnGatedSets(db: Database, actor: Actor, spec: GateSpec): Promise<GateVerdict> {
  const sets = (await listEvalSets(db)).filter((s) => s.gated && s.purpose === "questions");
  const compared: GateComparison[] = [];
  for (const set of sets) {
    const kb = await getKnowledgeBase(db, { id: set.kbId });
    const items = readQuestions(await getEvalSetItems(db, set));
    if (!kb || spec.usable(items) === 0) continue;
    const [active, candidate] = [await runSide(db, actor, spec, set, kb, items, spec.active), await runSide(db, actor, spec, set, kb, items, spec.candidate)];
    for (const metric of spec.metrics) compared.push({ set: set.name, kb: kb.slug, metric, active: active[metric] ?? 0, candidate: candidate[metric] ?? 0 });
  }
  const worse = compared.filter((c) => c.candidate < c.active - 1e-9);
  const passed = worse.length === 0;
  const message = passed
    ? `${spec.subject} scores at least as well as the active one on ${sets.length ? "every gated set" : "the gated sets (none are gated)"}.`
    : `${spec.subject} scores worse than the active one on gated sets: ${worse.map((w) => `${w.set} (${w.kb}) ${w.metric} ${w.candidate.toFixed(3)} < ${w.active.toFixed(3)}`).join("; ")}.`;
  if (compared.length > 0) await insertAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: passed ? "eval.gate.pass" : "eval.gate.fail", target: spec.subject, details: { kind: spec.kind, compared } });
  return { passed, compared, message };
}

async function runSide(db: Database, actor: Actor, spec: GateSpec, set: EvalSet, kb: KbSettings, items: EvalItem[], side: Side): Promise<Record<string, number>> {
  const run = await createEvalRun(db, { kind: spec.kind, kbId: kb.id, setId: set.id, setVersion: set.version, trigger: `gate: ${side.label}`, total: spec.usable(items), context: { gate: spec.subject, side: side.label }, actor });
  const done = await execute({ db }, run, actor, (progress) => side.run(kb, items, progress));
  if (done.status !== "done") throw new Error(`The gate's ${spec.kind} run on ${set.name} failed: ${done.error}`);
  return done.metrics ?? {};
}

export interface SearchSide {
  embedder: Embedder;
  store: VectorStore;
}

/** A new embedding model (its table filled) against the active one: hybrid search as the chat uses it. */
export function checkEmbeddingGate(db: Database, input: { actor: Actor; candidateId: string; active: SearchSide; candidate: SearchSide }): Promise<GateVerdict> {
  const side = (label: string, engines: SearchSide): Side => ({ label, run: (kb, items, progress) => runRetrieval({ ...engines, kb }, items, progress) });
  return compareOnGatedSets(db, input.actor, {
    subject: `The embedding model ${input.candidateId}`,
    kind: "retrieval",
    usable: retrievalTotal,
    metrics: GATE_METRICS.retrieval,
    active: side(`active embedding model ${input.active.embedder.id}`, input.active),
    candidate: side(`candidate embedding model ${input.candidate.embedder.id}`, input.candidate),
  });
}

/** A new review-policy version's checks against the active version's, on the gated sets' labelled questions. */
export function checkPolicyGate(
  db: Database,
  input: { actor: Actor; search: SearchSide; active: Pick<TurnAssessor, "question">; candidate: Pick<TurnAssessor, "question">; candidateLabel: string },
): Promise<GateVerdict> {
  const side = (label: string, assessor: Pick<TurnAssessor, "question">): Side => ({ label, run: (kb, items, progress) => runRouting({ ...input.search, kb }, assessor, setLabels(items), progress) });
  return compareOnGatedSets(db, input.actor, {
    subject: `The review policy ${input.candidateLabel}`,
    kind: "routing",
    usable: (items) => setLabels(items).length,
    metrics: GATE_METRICS.routing,
    active: side("active review policy", input.active),
    candidate: side(input.candidateLabel, input.candidate),
  });
}
