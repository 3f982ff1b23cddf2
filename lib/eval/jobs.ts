/**
 * Evaluation runs as jobs: a row in eval_runs made first (so every web server shows its
 * progress), the work in the background, the outcome stored with what it ran against.
 * The web server, the gates and `npm run eval` all start runs here.
 */
import type { Database } from "@/db/client";
import { createEvalRun, finishEvalRun, getEvalSet, getEvalSetItems, indexStateOf, listEvalSets, updateEvalRunProgress, type EvalRun, type EvalRunKind } from "@/db/queries/evaluation";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { listRoutingLabels } from "@/db/queries/routing-labels";
import type { Actor } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import type { TurnAssessor } from "@/lib/rag/turn";
import { readAttacks, readQuestions, type AttackItem, type EvalItem } from "./items";
import { BUILT_IN_ATTACKS } from "./red-team";
import { answerItems, NOTHING_TO_SCORE, retrievalTotal, runAnswers, runRedTeam, runRetrieval, runRouting, setLabels, type EvalWorld, type LabelledQuestion, type RunResult } from "./runners";

export interface EvalJobDeps {
  db: Database;
  /** The live index, embedder and answer mode, for a knowledge base. */
  world(kb: { id: string; topK: number; minScore: number }): Promise<EvalWorld>;
  /** The active review policy's checks. */
  assessor(): Promise<Pick<TurnAssessor, "question" | "policyVersion">>;
  /** Model ids and policy versions in force, stored with each run. */
  context(): Promise<Record<string, unknown>>;
  onError?(error: Error, run: EvalRun): void;
}

export interface RunRequest {
  kind: EvalRunKind;
  kbId: string;
  /** The question set (retrieval, answers, routing); red-team runs take the built-in suite plus the knowledge base's red-team sets. */
  setId?: string;
  actor: Actor;
  trigger?: string;
}

interface Prepared {
  total: number;
  setVersion: number | null;
  exec(world: EvalWorld, assessor: Pick<TurnAssessor, "question">, progress: (done: number) => Promise<void>): Promise<RunResult>;
}

/** Starts a run and returns its row at once; `finished` settles with the stored outcome. */
export async function startEvalRun(deps: EvalJobDeps, request: RunRequest): Promise<{ run: EvalRun; finished: Promise<EvalRun> }> {
  const kb = await getKnowledgeBase(deps.db, { id: request.kbId });
  if (!kb) throw new AppError("not_found:eval", "That knowledge base does not exist.");
  const prepared = await prepare(deps, request);
  const [assessor, context, index] = await Promise.all([deps.assessor(), deps.context(), indexStateOf(deps.db, kb.id)]);
  const run = await createEvalRun(deps.db, {
    kind: request.kind,
    kbId: kb.id,
    setId: request.kind === "red-team" ? null : (request.setId ?? null),
    setVersion: prepared.setVersion,
    trigger: request.trigger ?? "admin",
    total: prepared.total,
    context: { ...context, reviewPolicyVersion: assessor.policyVersion ?? null, index: { kb: kb.slug, ...index } },
    actor: request.actor,
  });
  const finished = execute(deps, run, request.actor, async (progress) => prepared.exec(await deps.world(kb), assessor, progress));
  return { run, finished };
}

/** Runs `work` as the stored run `run`: progress written at most twice a second, the outcome or the error stored and audited. */
export async function execute(deps: Pick<EvalJobDeps, "db" | "onError">, run: EvalRun, actor: Actor, work: (progress: (done: number) => Promise<void>) => Promise<RunResult>): Promise<EvalRun> {
  let written = 0;
  const progress = async (done: number) => {
    if (Date.now() - written < 500 && done < run.total) return;
    written = Date.now();
    await updateEvalRunProgress(deps.db, { id: run.id, done });
  };
  const beat = setInterval(() => void updateEvalRunProgress(deps.db, { id: run.id }).catch(() => undefined), 15_000);
  try {
    const result = await work(progress);
    return await finishEvalRun(deps.db, { id: run.id, actor, ...result });
  } catch (error) {
    deps.onError?.(error as Error, run);
    return finishEvalRun(deps.db, { id: run.id, actor, error: (error as Error).message });
  } finally {
    clearInterval(beat);
  }
}

async function prepare(deps: EvalJobDeps, request: RunRequest): Promise<Prepared> {
  if (request.kind === "red-team") {
    const attacks = [...BUILT_IN_ATTACKS, ...(await ownAttacks(deps.db, request.kbId))];
    return { total: attacks.length, setVersion: null, exec: (world, _a, progress) => runRedTeam(world, attacks, progress) };
  }
  const set = request.setId ? await getEvalSet(deps.db, { id: request.setId }) : undefined;
  if (!set || set.kbId !== request.kbId || set.purpose !== "questions") throw new AppError("bad_request:eval", "Choose a question set of this knowledge base.");
  const items = readQuestions(await getEvalSetItems(deps.db, set));
  const prepared = await prepareQuestions(deps.db, request.kind, items, set.version, request.kbId);
  // Refused before a run is recorded: a run that could only fail says nothing about quality.
  if (prepared.total === 0) throw new AppError("bad_request:eval", NOTHING_TO_SCORE[request.kind]);
  return prepared;
}

async function prepareQuestions(db: Database, kind: Exclude<RunRequest["kind"], "red-team">, items: readonly EvalItem[], setVersion: number, kbId: string): Promise<Prepared> {
  if (kind === "retrieval") return { setVersion, total: retrievalTotal(items), exec: (world, _a, progress) => runRetrieval(world, items, progress) };
  if (kind === "answers") return { setVersion, total: answerItems(items).length, exec: (world, _a, progress) => runAnswers(world, items, progress) };
  const labelled = await labelledQuestions(db, items, kbId);
  return { setVersion, total: labelled.length, exec: (world, assessor, progress) => runRouting(world, assessor, labelled, progress) };
}

/** The set's labelled questions, then reviewers' and agents' word on real answers from this knowledge base. */
async function labelledQuestions(db: Database, items: readonly EvalItem[], kbId: string): Promise<LabelledQuestion[]> {
  const fromReviewers = (await listRoutingLabels(db, { kbId })).map((l) => ({ question: l.question, high: l.neededReview, source: "reviewers" as const }));
  return [...setLabels(items), ...fromReviewers];
}

async function ownAttacks(db: Database, kbId: string): Promise<AttackItem[]> {
  const sets = (await listEvalSets(db, { kbId })).filter((s) => s.purpose === "red-team");
  const lists = await Promise.all(sets.map(async (s) => readAttacks(await getEvalSetItems(db, s)).map((a) => ({ ...a, writer: a.writer ?? s.name }))));
  return lists.flat();
}
