/**
 * Risk assessment of a turn: before generation (question + retrieved
 * passages) and again on the drafted answer. Every signal carries a score in
 * [0, 1], a reason a reviewer can read, and the action it asks for; the
 * decision is the strongest action asked for (refuse > hold > release).
 */
import { findAmounts, formatAmount } from "./amounts";
import { categorySignals } from "./category-signals";
import type { RiskClassifier, SentenceVectors } from "./classifier";
import { citationNumbers, sentenceSupport } from "./grounding";
import { readInjection } from "./injection";
import { findKeywords } from "./keywords";
import { findPii, maskPii, PII_LABELS, type PiiFinding } from "./pii";
import type { RoutingPolicy, SignalAction } from "./policy";
import type { Decision, RiskSignal } from "./signals";
import type { ChatTurn } from "@/lib/retrieval";

export type { Decision, RiskSignal, SignalKind } from "./signals";

export interface Assessment {
  decision: Decision;
  /** Topic id of the strongest topic match (or of an amount/promise hold). */
  topic?: string;
  signals: RiskSignal[];
}

/** Highest cosine similarity between the question and any of the examples, in [0, 1]. */
export type SimilarityFn = (question: string, examples: string[]) => Promise<number>;

export interface AssessChunk {
  text: string;
  /** Fused retrieval score in [0, 1] (1 = first in every list). */
  fusedScore: number;
  /** Cosine similarity of the dense hit, or null when only keyword search found it. */
  vectorScore?: number | null;
  /** An admin cleared this passage of a suspected injection: not checked for one again. */
  trusted?: boolean;
}

/** Injection signs at or above this score take the policy's injection action. */
export const INJECTION_MIN_SCORE = 0.7;
const HISTORY_TURNS = 2;

const round = (n: number) => Math.round(n * 100) / 100;
const clamp = (n: number) => Math.max(0, Math.min(1, n));
const quote = (s: string) => `“${s}”`;

/** Assess a question and its retrieved passages before anything is generated. */
export async function assessQuestion(input: {
  question: string;
  history?: ChatTurn[];
  chunks: AssessChunk[];
  policy: RoutingPolicy;
  similarity?: SimilarityFn;
  /** The review-routing classifier; without it, topics and the other checks decide alone. */
  classifier?: RiskClassifier;
  /** Sentence vectors for a classifier trained with them (sentenceVectorsFor). */
  vectors?: SentenceVectors;
}): Promise<Assessment> {
  const { question, chunks, policy } = input;
  const vector = input.classifier && input.vectors ? (await input.vectors([question]))[0] : undefined;
  const signals: RiskSignal[] = [
    ...(await topicSignals(question, input.history ?? [], policy, input.similarity)),
    ...categorySignals(question, input.classifier, policy, vector),
    ...amountSignals(question, "question", policy),
    ...retrievalSignals(chunks, policy),
    ...piiSignals(question, "question", chunks, policy),
    ...injectionSignals(question, chunks, policy),
  ];
  return decide(signals);
}

/** Assess the drafted answer on top of the question's assessment (`prior`). */
export function assessAnswer(input: {
  question: string;
  answer: string;
  chunks: AssessChunk[];
  citedNumbers: number[];
  policy: RoutingPolicy;
  prior: Assessment;
}): Assessment {
  const { answer, chunks, policy } = input;
  const cited = [...new Set([...input.citedNumbers, ...citationNumbers(answer)])].sort((a, b) => a - b);
  const signals: RiskSignal[] = [
    ...input.prior.signals,
    ...citationSignals(cited, chunks.length),
    ...supportSignals(answer, chunks, cited, policy),
    ...amountSignals(answer, "answer", policy),
    ...promiseSignals(answer, policy),
    ...piiSignals(answer, "answer", chunks, policy),
  ];
  return decide(signals, input.prior.topic);
}

/** The assessment without its grounding findings: for a quoted answer, which is the passages' own words. */
export function withoutGrounding(assessment: Assessment): Assessment {
  return decide(assessment.signals.filter((s) => s.kind !== "grounding"), assessment.topic);
}

/**
 * A quoted answer's assessment: the question's signals (`prior`) and the answer's
 * personal data and citations. Its support, amounts and commitments are the
 * knowledge base's own policy in its own words ("refunds over $500 need a team
 * lead"), not a model committing the company, so they hold nothing.
 */
export function asQuoted(assessment: Assessment, prior: Assessment): Assessment {
  const fromQuestion = new Set(prior.signals);
  return decide(assessment.signals.filter((s) => fromQuestion.has(s) || s.kind === "pii" || s.kind === "citation"), assessment.topic);
}

const RANK: Record<SignalAction, number> = { none: 0, hold: 1, refuse: 2 };

function decide(signals: RiskSignal[], priorTopic?: string): Assessment {
  const top = signals.reduce<SignalAction>((acc, s) => (RANK[s.action] > RANK[acc] ? s.action : acc), "none");
  const decision: Decision = top === "none" ? "release" : top;
  const escalating = signals.filter((s) => s.action !== "none" && s.topicId);
  const strongestTopic =
    [...escalating].sort((a, b) => RANK[b.action] - RANK[a.action] || b.score - a.score || (a.kind === "topic" ? -1 : 1))[0]?.topicId ??
    priorTopic;
  return { decision, ...(strongestTopic ? { topic: strongestTopic } : {}), signals };
}

/** A similarity this close below a topic's threshold counts as near it. */
const TOPIC_NEAR_MARGIN = 0.05;

async function topicSignals(question: string, history: ChatTurn[], policy: RoutingPolicy, similarity?: SimilarityFn): Promise<RiskSignal[]> {
  const recent = history
    .filter((t) => t.role === "user")
    .slice(-HISTORY_TURNS)
    .map((t) => t.content)
    .join("\n");
  const matched: RiskSignal[] = [];
  let closest: { name: string; sim: number; threshold: number } | null = null;
  for (const topic of policy.topics) {
    const threshold = topic.threshold ?? policy.thresholds.topicSimilarity;
    const hits = findKeywords(question, topic.keywords);
    const earlier = hits.length === 0 && recent ? findKeywords(recent, topic.keywords) : [];
    const sim = similarity && topic.examples.length > 0 ? clamp(await similarity(question, topic.examples)) : 0;
    const reasons: string[] = [];
    if (hits.length > 0) reasons.push(`the question mentions ${hits.slice(0, 3).map((h) => quote(h.matched)).join(", ")}`);
    if (earlier.length > 0) reasons.push(`earlier in the conversation the customer mentioned ${quote(earlier[0]!.matched)}`);
    if (sim >= threshold) reasons.push(`it is close to this topic's example questions (similarity ${round(sim)} ≥ ${threshold})`);
    if (reasons.length > 0) {
      const score = Math.max(hits.length > 0 ? 1 : 0, earlier.length > 0 ? 0.8 : 0, sim);
      matched.push({ kind: "topic", topicId: topic.id, label: topic.name, score: round(score), action: topic.action, reason: `${topic.name}: ${reasons.join("; ")}.` });
    } else if (sim > 0 && (!closest || sim > closest.sim)) {
      closest = { name: topic.name, sim, threshold };
    }
  }
  if (matched.length === 0 && closest) {
    // Recorded so an admin tuning thresholds can see how near the question came.
    matched.push({
      kind: "topic",
      score: round(closest.sim),
      action: "none",
      ...(closest.sim >= closest.threshold - TOPIC_NEAR_MARGIN ? { near: true } : {}),
      reason: `No high-stakes topic matched; the closest was ${closest.name} (similarity ${round(closest.sim)}, below ${closest.threshold}).`,
    });
  }
  return matched;
}

function amountSignals(text: string, where: "question" | "answer", policy: RoutingPolicy): RiskSignal[] {
  const limit = policy.amountLimit;
  const over = findAmounts(text).filter((a) => a.value > limit.amount);
  for (const amount of over) {
    // The refund or credit words must be near the amount, not anywhere in a long answer.
    const context = text.slice(Math.max(0, amount.index - 160), amount.index + amount.raw.length + 160);
    const words = findKeywords(context, limit.keywords);
    if (words.length === 0) continue;
    return [
      {
        kind: "amount",
        score: 1,
        label: "an amount over the approval limit",
        action: limit.action,
        ...(limit.topicId ? { topicId: limit.topicId } : {}),
        reason: `The ${where} mentions ${amount.raw} with ${quote(words[0]!.matched)}, above the ${formatAmount(limit.amount)} limit for refunds and credits.`,
      },
    ];
  }
  return [];
}

function retrievalSignals(chunks: AssessChunk[], policy: RoutingPolicy): RiskSignal[] {
  // No passages at all is the answer path's business (it answers "not found"); here we judge what was found.
  if (chunks.length === 0) return [];
  const { minRetrievalScore, minVectorScore } = policy.thresholds;
  const bestFused = Math.max(...chunks.map((c) => c.fusedScore));
  const vectors = chunks.map((c) => c.vectorScore).filter((v): v is number => typeof v === "number");
  const bestVector = vectors.length > 0 ? Math.max(...vectors) : null;
  const problems: string[] = [];
  let score = 0;
  if (bestFused < minRetrievalScore) {
    problems.push(`the best passage's retrieval score is ${round(bestFused)} (minimum ${minRetrievalScore})`);
    score = Math.max(score, 1 - bestFused / Math.max(minRetrievalScore, 1e-9));
  }
  // Passages found only by keywords carry no similarity; judging them by their absence would hold most questions.
  if (bestVector !== null && bestVector < minVectorScore) {
    problems.push(`the closest passage by meaning has similarity ${round(bestVector)} (minimum ${minVectorScore})`);
    score = Math.max(score, 1 - bestVector / minVectorScore);
  }
  if (problems.length === 0) return [];
  return [{ kind: "grounding", score: round(clamp(score)), action: "hold", reason: `Weak grounding: ${problems.join("; ")}.` }];
}

function piiSignals(text: string, where: "question" | "answer", chunks: AssessChunk[], policy: RoutingPolicy): RiskSignal[] {
  // Contact details printed in the knowledge base (support@…) are published, not personal.
  const published = chunks.map((c) => c.text).join("\n");
  const found = findPii(text).filter((f: PiiFinding) => !published.includes(f.value));
  if (found.length === 0) return [];
  const listed = found.slice(0, 4).map((f) => `${PII_LABELS[f.kind]} (${maskPii(f)})`);
  return [{ kind: "pii", score: 1, action: policy.pii.action, reason: `The ${where} contains personal data: ${listed.join(", ")}.` }];
}

function injectionSignals(question: string, chunks: AssessChunk[], policy: RoutingPolicy): RiskSignal[] {
  const out: RiskSignal[] = [];
  const judge = (text: string, where: string) => {
    const found = readInjection(text);
    if (!found) return;
    out.push({
      kind: "injection",
      score: round(found.score),
      action: found.score >= INJECTION_MIN_SCORE ? policy.injection.action : "none",
      reason: `Possible prompt injection in ${where}: ${found.labels.join(", ")} (${quote(found.matched)}).`,
    });
  };
  judge(question, "the question");
  chunks.forEach((c, i) => {
    if (!c.trusted) judge(c.text, `passage [${i + 1}]`);
  });
  return out;
}

function citationSignals(cited: number[], passageCount: number): RiskSignal[] {
  const broken = cited.filter((n) => n < 1 || n > passageCount);
  if (broken.length === 0) return [];
  const list = broken.map((n) => `[${n}]`).join(", ");
  const why = passageCount === 0 ? "no passages were retrieved" : `only [1]–[${passageCount}] exist`;
  return [{ kind: "citation", score: 1, action: "hold", reason: `The answer cites ${list}, but ${why}.` }];
}

function supportSignals(answer: string, chunks: AssessChunk[], cited: number[], policy: RoutingPolicy): RiskSignal[] {
  const { unsupportedShare, sentenceSupport: minSupport } = policy.thresholds;
  const checked = sentenceSupport(answer, chunks.map((c) => c.text), cited);
  if (checked.length === 0) return [];
  const unsupported = checked.filter((s) => s.support < minSupport);
  const share = unsupported.length / checked.length;
  if (unsupported.length === 0) return [];
  const example = unsupported[0]!.sentence;
  const shown = example.length > 90 ? `${example.slice(0, 87)}…` : example;
  const noCitations = cited.length === 0 ? " The answer cites no passage." : "";
  return [
    {
      kind: "grounding",
      score: round(share),
      action: share > unsupportedShare ? "hold" : "none",
      reason: `${unsupported.length} of ${checked.length} answer sentences are not supported by a cited passage (share ${round(share)}, limit ${unsupportedShare}), e.g. ${quote(shown)}.${noCitations}`,
    },
  ];
}

function promiseSignals(answer: string, policy: RoutingPolicy): RiskSignal[] {
  const hits = findKeywords(answer, policy.promises.keywords);
  if (hits.length === 0) return [];
  return [
    {
      kind: "topic",
      score: 1,
      label: "a commitment in the answer",
      action: policy.promises.action,
      ...(policy.promises.topicId ? { topicId: policy.promises.topicId } : {}),
      reason: `The answer makes a commitment: ${hits.slice(0, 3).map((h) => quote(h.matched)).join(", ")}.`,
    },
  ];
}
