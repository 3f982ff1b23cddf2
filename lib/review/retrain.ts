/**
 * Retraining the risk classifier from people's word on routing: reviewers'
 * "did not need review" and every other decision, and agents' "should have been
 * reviewed". A fixed part of the labels is held out; the candidate is trained on
 * the shipped training data plus the rest, and replaces the active classifier
 * only if it scores at least as well on the held-out part, in both the share of
 * right decisions and the share of high-stakes questions it holds.
 */
import crypto from "node:crypto";
import { categorySignals } from "./category-signals";
import type { Embedder } from "@/lib/embeddings/types";
import {
  CLASSIFIER_CLASSES,
  loadClassifier,
  packClassifier,
  readRisk,
  ROUTINE,
  sentenceVectorsFor,
  TRAINING_DEFAULTS,
  trainClassifierInTurns,
  type LabelledQuestion,
  type RiskClassifier,
} from "./classifier";
import type { RoutingPolicy } from "./policy";

export interface RoutingLabel {
  messageId: string;
  question: string;
  neededReview: boolean;
}

/** Fewer labels than this say too little to judge a new classifier by. */
export const MIN_LABELS = 10;
/** One label in this many is held out to score the candidate and the active classifier. */
export const HOLD_OUT_EVERY = 5;
/**
 * Each label counts as this many training lines: the organisation's own questions are
 * few beside the 4,032 shipped lines, and would otherwise hardly move the model.
 */
export const LABEL_WEIGHT = 4;

export interface Score {
  /** Held-out labels the classifier decided as people did. */
  correct: number;
  total: number;
  /** Held-out labels that needed review, and how many of them the classifier would hold. */
  needed: number;
  caught: number;
}

export interface RetrainOutcome {
  accepted: boolean;
  /** One sentence for the admin: what happened and why. */
  summary: string;
  labels: number;
  heldOut: number;
  active: Score;
  candidate: Score;
  /** The candidate's model file, when accepted. */
  file?: { body: string; sha256: string };
}

export class NotEnoughLabelsError extends Error {}

const hashOf = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * Labels in a fixed order (by a hash of their answer's id, not by time, so held-out labels
 * are spread over the period), every HOLD_OUT_EVERY-th held out.
 */
export function splitLabels(labels: readonly RoutingLabel[]): { train: RoutingLabel[]; heldOut: RoutingLabel[] } {
  const ordered = [...labels].sort((a, b) => hashOf(a.messageId).localeCompare(hashOf(b.messageId)));
  const heldOut = ordered.filter((_, i) => i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1);
  return { train: ordered.filter((_, i) => i % HOLD_OUT_EVERY !== HOLD_OUT_EVERY - 1), heldOut };
}

export async function scoreOn(classifier: RiskClassifier, labels: readonly RoutingLabel[], policy: RoutingPolicy, embedder?: VectorEmbedder): Promise<Score> {
  const score: Score = { correct: 0, total: labels.length, needed: 0, caught: 0 };
  const vectors = embedder && sentenceVectorsFor(classifier, embedder);
  const read = vectors ? await vectors(labels.map((l) => l.question)) : [];
  for (const [i, label] of labels.entries()) {
    // Whether the classifier alone would send the question to review under `policy`.
    const held = categorySignals(label.question, classifier, policy, read[i]).some((s) => s.action !== "none");
    if (held === label.neededReview) score.correct++;
    if (label.neededReview) {
      score.needed++;
      if (held) score.caught++;
    }
  }
  return score;
}

const share = (n: number, of: number) => (of === 0 ? "—" : `${n} of ${of}`);

export interface RetrainInput {
  /** The shipped training lines (models/routing/training). */
  base: readonly LabelledQuestion[];
  labels: readonly RoutingLabel[];
  active: RiskClassifier;
  policy: RoutingPolicy;
  /** The deployment's embedder: the candidate learns its sentence vectors beside the n-grams. */
  embedder?: VectorEmbedder;
}

type VectorEmbedder = Pick<Embedder, "id" | "embed" | "maxBatch">;

export async function retrainClassifier({ base, labels, active, policy, embedder }: RetrainInput): Promise<RetrainOutcome> {
  if (labels.length < MIN_LABELS) {
    throw new NotEnoughLabelsError(`Retraining needs at least ${MIN_LABELS} labelled decisions; there ${labels.length === 1 ? "is" : "are"} ${labels.length}.`);
  }
  const { train, heldOut } = splitLabels(labels);
  // A label that needed review takes the category the active classifier reads it as most.
  const activeVectors = embedder && sentenceVectorsFor(active, embedder);
  const trainRead = activeVectors ? await activeVectors(train.map((l) => l.question)) : [];
  const labelled = train.map((l, i) => ({ text: l.question, label: l.neededReview ? readRisk(active, l.question, trainRead[i]).category : ROUTINE }));
  const texts = [...base.map((q) => ({ text: q.text, label: q.label })), ...labelled.flatMap((e) => Array<typeof e>(LABEL_WEIGHT).fill(e))];
  const vectors = embedder ? await sentenceVectorsFor({ denseEmbedder: embedder.id }, embedder)!(texts.map((e) => e.text)) : [];
  const examples = texts.map((e, i) => ({ ...e, vector: vectors[i] }));
  const trained = await trainClassifierInTurns(examples, {
    classes: CLASSIFIER_CLASSES,
    ...TRAINING_DEFAULTS,
    ...(embedder ? { denseEmbedder: embedder.id } : {}),
    training: { examples: examples.length, shipped: base.length, labels: train.length, labelWeight: LABEL_WEIGHT, settings: TRAINING_DEFAULTS },
  });
  const body = `${JSON.stringify(packClassifier(trained))}\n`;
  const candidate = loadClassifier(JSON.parse(body));
  const before = await scoreOn(active, heldOut, policy, embedder);
  const after = await scoreOn(candidate, heldOut, policy, embedder);
  const accepted = after.correct >= before.correct && after.caught >= before.caught;
  const caught = after.needed === 0 ? "none of them needed review" : `high-stakes held ${share(after.caught, after.needed)} against ${share(before.caught, before.needed)}`;
  const figures = `right decisions ${share(after.correct, after.total)} against ${share(before.correct, before.total)}; ${caught}`;
  return {
    accepted,
    summary: accepted
      ? `The retrained classifier scores at least as well on ${heldOut.length} held-out labels (${figures}) and is now in use.`
      : `The retrained classifier scores worse on ${heldOut.length} held-out labels (${figures}); the active one stays.`,
    labels: labels.length,
    heldOut: heldOut.length,
    active: before,
    candidate: after,
    ...(accepted ? { file: { body, sha256: hashOf(body) } } : {}),
  };
}
