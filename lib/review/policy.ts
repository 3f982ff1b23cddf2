/**
 * The routing policy: which questions and answers are high-stakes, and what
 * happens to them (hold for a reviewer, or refuse). Stored in Postgres as
 * versioned rows of kind "routing"; edited in Admin › Review policy.
 */
import { z } from "zod";
import { keywordProblem } from "./keywords";

export const ROUTING_ACTIONS = ["hold", "refuse"] as const;
/** What a signal asks for; "none" records a finding without escalating. */
export const SIGNAL_ACTIONS = ["hold", "refuse", "none"] as const;

const score = z.number().min(0).max(1);
const trimmed = (max: number) => z.string().trim().min(1).max(max);
const keyword = trimmed(400).superRefine((value, ctx) => {
  const problem = keywordProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const topicSchema = z.strictObject({
  /** Stable id stored with every decision, e.g. "legal". */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "use lower-case letters, digits and dashes (at most 40)"),
  name: trimmed(80),
  description: z.string().trim().max(500),
  /** Example questions; a question this similar to one of them matches the topic. */
  examples: z.array(trimmed(300)).max(50),
  /**
   * Words or phrases matched whole-word and case-insensitively. `*` stands for
   * any word ending ("refund*"); `/…/` is a regular expression.
   */
  keywords: z.array(keyword).max(200),
  action: z.enum(ROUTING_ACTIONS),
  /** Overrides thresholds.topicSimilarity for this topic. */
  threshold: score.optional(),
});

/**
 * The risk classifier's settings: the risk (1 − P(routine)) at which a question is
 * acted on, and per category (the one the question most reads as) its own action
 * and, optionally, its own risk threshold. A category not listed holds at minRisk.
 */
export const classifierSettingsSchema = z.strictObject({
  minRisk: score,
  /** A classifier retrained from reviewers' labels, stored in Postgres by its sha256; absent means the shipped model. */
  model: z
    .strictObject({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      trainedAt: z.string().datetime(),
      /** Reviewers' and agents' labels it was trained on, and how many were held out to score it. */
      labels: z.number().int().min(0),
      heldOut: z.number().int().min(0),
    })
    .optional(),
  categories: z.record(z.string().regex(/^[a-z_]{1,40}$/), z.strictObject({ action: z.enum(SIGNAL_ACTIONS), minRisk: score.optional() })),
});

export const routingPolicySchema = z
  .strictObject({
    topics: z.array(topicSchema).max(50),
    thresholds: z.strictObject({
      /** Cosine similarity to a topic's example at or above which the topic matches. */
      topicSimilarity: score,
      /** The best retrieved passage must score at least this (fusedScore, 0–1)… */
      minRetrievalScore: score,
      /** …and, for dense hits, at least this cosine similarity. */
      minVectorScore: score,
      /** Share of answer sentences no cited passage supports above which the answer is held. */
      unsupportedShare: score,
      /** Share of a sentence's content words a passage must hold to support it. */
      sentenceSupport: score,
    }),
    pii: z.strictObject({ action: z.enum(SIGNAL_ACTIONS) }),
    injection: z.strictObject({ action: z.enum(SIGNAL_ACTIONS) }),
    amountLimit: z.strictObject({
      /** Amounts above this, in a refund or credit context, take `action`. */
      amount: z.number().min(0).max(1e9),
      action: z.enum(ROUTING_ACTIONS),
      /** Words that make an amount a refund or credit (same syntax as topic keywords). */
      keywords: z.array(keyword).max(100),
      /** Topic id that amount holds are filed under in the review queue. */
      topicId: z.string().max(40).optional(),
    }),
    /** Absent in versions saved before the classifier shipped; they get its defaults. */
    classifier: classifierSettingsSchema.optional(),
    /**
     * The model judge, used only when the answering model is an instruct model: "hold" lets
     * it add holds (it can never release), "none" turns it off. Absent means "hold".
     */
    judge: z.strictObject({ action: z.enum(["hold", "none"]) }).optional(),
    /** Commitments in a drafted answer ("we will refund you", "I promise") that need a person. */
    promises: z.strictObject({
      action: z.enum(SIGNAL_ACTIONS),
      keywords: z.array(keyword).max(100),
      topicId: z.string().max(40).optional(),
    }),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.topics.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: "custom", path: ["topics", i, "id"], message: `topic id "${t.id}" is used twice` });
      seen.add(t.id);
      if (t.examples.length === 0 && t.keywords.length === 0) {
        ctx.addIssue({ code: "custom", path: ["topics", i], message: `topic "${t.name}" needs at least one example or keyword` });
      }
    });
  });

export type RoutingTopic = z.infer<typeof topicSchema>;
export type ClassifierSettings = z.infer<typeof classifierSettingsSchema>;
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;
export type RoutingAction = (typeof ROUTING_ACTIONS)[number];
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];
