import "server-only";
/**
 * Admin › Review policy › Retrain: trains a candidate from the shipped data and the
 * routing labels in the web server (in turns, so chats keep flowing), and makes it a
 * new policy version only when it scores at least as well as the active classifier.
 * Both outcomes are audited; restoring an older policy version restores its classifier.
 */
import path from "node:path";
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import { insertRoutingClassifier } from "@/db/queries/routing-classifiers";
import { listRoutingLabels } from "@/db/queries/routing-labels";
import type { Actor } from "@/db/queries/users";
import type { Embedder } from "@/lib/embeddings/types";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { loadLabelledQuestions, type RiskClassifier } from "./classifier";
import { DEFAULT_CLASSIFIER_SETTINGS } from "./default-policy";
import { getCurrentRoutingPolicy, getRoutingPolicyVersion, RoutingPolicyConflictError, saveRoutingPolicy } from "./policy-store";
import type { ClassifierSettings, RoutingPolicy } from "./policy";
import { NotEnoughLabelsError, retrainClassifier, type RetrainOutcome } from "./retrain";
import { getRiskClassifier } from "./server";

let running = false;

export type RetrainResult = Omit<RetrainOutcome, "file"> & { version?: number };

/** Where the shipped training lines are, and how the classifier a policy names is loaded. */
export interface RetrainDeps {
  trainingDir: string;
  classifierFor: (model: ClassifierSettings["model"]) => Promise<RiskClassifier>;
  /** The deployment's embedder, whose sentence vectors the candidate learns. */
  embedder?: Pick<Embedder, "id" | "embed" | "maxBatch">;
}

const serverDeps = async (): Promise<RetrainDeps> => ({
  trainingDir: path.join(getEnv().modelsDir, "routing", "training"),
  classifierFor: getRiskClassifier,
  embedder: (await getEngines()).embedder,
});

/** Checks a policy version before it is saved (the evaluation gates); throws to refuse it. */
export interface BeforeSave {
  beforeSave?: (policy: RoutingPolicy) => Promise<void>;
}

export async function retrainFromLabels(db: Database, actor: Actor, given?: RetrainDeps, checks: BeforeSave = {}): Promise<RetrainResult> {
  // One at a time per server: a second click would only train the same candidate again.
  if (running) throw new AppError("conflict:policy", "A retrain is already running; wait for it to finish.");
  running = true;
  try {
    return await retrainOnce(db, actor, given ?? (await serverDeps()), checks);
  } catch (error) {
    if (error instanceof NotEnoughLabelsError) throw new AppError("conflict:policy", error.message);
    if (error instanceof RoutingPolicyConflictError) throw new AppError("conflict:policy", `${error.message} The retrained classifier was not kept.`);
    throw error;
  } finally {
    running = false;
  }
}

async function retrainOnce(db: Database, actor: Actor, deps: RetrainDeps, checks: BeforeSave): Promise<RetrainResult> {
  const current = await getCurrentRoutingPolicy(db);
  const settings = current.policy.classifier ?? DEFAULT_CLASSIFIER_SETTINGS;
  const active = await deps.classifierFor(settings.model).catch((error: Error) => {
    throw new AppError("unavailable:models", `The active risk classifier cannot be loaded, so a new one cannot be compared with it: ${error.message}`);
  });
  const base = loadLabelledQuestions(deps.trainingDir);
  const { file, ...outcome } = await retrainClassifier({ base, labels: await listRoutingLabels(db), active, policy: current.policy, embedder: deps.embedder });
  const record = { ...outcome, basedOn: { policyVersion: current.version, classifier: settings.model?.sha256 ?? "shipped" } };
  if (!file) {
    await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: "policy.routing.retrain_rejected", target: "routing", details: record });
    return outcome;
  }
  // Content-addressed, so storing the file before the policy that names it is safe: a failed save leaves an unused row.
  await insertRoutingClassifier(db, { sha256: file.sha256, body: file.body, training: record, createdBy: actor.id });
  const model = { sha256: file.sha256, trainedAt: new Date().toISOString(), labels: outcome.labels, heldOut: outcome.heldOut };
  const policy = { ...current.policy, classifier: { ...settings, model } };
  await checks.beforeSave?.(policy);
  const saved = await saveRoutingPolicy(db, {
    policy,
    actor,
    baseVersion: current.version,
    details: { retrain: record },
  });
  return { ...outcome, version: saved.version };
}

/** Makes an older version current again, as a new version: its topics, thresholds and classifier. */
export async function restoreRoutingPolicy(db: Database, actor: Actor, input: { version: number; baseVersion: number }, checks: BeforeSave = {}) {
  const old = await getRoutingPolicyVersion(db, input.version);
  if (!old) throw new AppError("not_found:policy", `There is no version ${input.version} of the review policy.`);
  await checks.beforeSave?.(old.policy);
  try {
    return await saveRoutingPolicy(db, { policy: old.policy, actor, baseVersion: input.baseVersion, details: { restoredFrom: input.version } });
  } catch (error) {
    if (error instanceof RoutingPolicyConflictError) throw new AppError("conflict:policy", error.message);
    throw error;
  }
}
