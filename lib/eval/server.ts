import "server-only";
/** The web server's evaluation jobs: the live index, the chat's answer mode and the active review policy. */
import type { Actor } from "@/db/queries/users";
import { failStaleEvalRuns } from "@/db/queries/evaluation";
import { getTurnAssessor } from "@/lib/chat/assessor";
import { chatDeps } from "@/lib/chat/server";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getModelGate } from "@/lib/models/service";
import type { RoutingPolicy } from "@/lib/review/policy";
import { assessorFor } from "@/lib/chat/assessor";
import { checkPolicyGate } from "./gates";
import { startEvalRun, type EvalJobDeps, type RunRequest } from "./jobs";

/** A run whose process has not beaten for this long is shown as interrupted. */
const STALE_AFTER_MS = 60_000;

async function jobDeps(actor: Actor): Promise<EvalJobDeps> {
  const db = await getDb();
  return {
    db,
    async world(kb) {
      const engines = await getEngines();
      return { embedder: engines.embedder, store: engines.store, kb, user: { id: actor.id ?? "", email: actor.email ?? "system" }, turnDeps: chatDeps };
    },
    assessor: async () => getTurnAssessor(db, (await getEngines()).embedder),
    async context() {
      const [engines, gate] = await Promise.all([getEngines(), getModelGate()]);
      return { embedder: engines.embedder.id, modelPolicyVersion: gate.status().policyVersion };
    },
    onError: (error, run) => logger().warn({ err: error, runId: run.id, kind: run.kind }, "evaluation run failed"),
  };
}

/** Starts a run in the background; the page follows its progress from the database. */
export async function startRunAsUser(request: RunRequest) {
  if (!request.actor.id) throw new AppError("forbidden:eval", "Only a signed-in admin can start a run.");
  const { run, finished } = await startEvalRun(await jobDeps(request.actor), request);
  void finished.catch((error: Error) => logger().error({ err: error, runId: run.id }, "evaluation run could not be recorded"));
  return run;
}

/** Before listing: runs left "running" by a web server that stopped are marked as interrupted. */
export async function settleStaleRuns(): Promise<void> {
  await failStaleEvalRuns(await getDb(), { olderThanMs: STALE_AFTER_MS });
}

/**
 * The gate on review-policy versions: `candidate` must route the gated sets' labelled questions
 * at least as well as the active version, or it is refused (409) with the figures.
 */
export async function assertPolicyPassesGates(candidate: RoutingPolicy, actor: Actor, label: string): Promise<void> {
  const db = await getDb();
  const engines = await getEngines();
  const [active, next] = await Promise.all([getTurnAssessor(db, engines.embedder), assessorFor({ policy: candidate, version: 0 }, engines.embedder)]);
  const verdict = await checkPolicyGate(db, { actor, search: engines, active, candidate: next, candidateLabel: label });
  if (!verdict.passed) throw new AppError("conflict:policy", `${verdict.message} It was not saved; change it, or ungate the set in Admin › Evaluation.`);
}
