/** The editor's form state for a routing policy, and conversions both ways (the server validates). */
import { RISK_CATEGORIES } from "@/lib/review/classifier/categories";
import { DEFAULT_CLASSIFIER_SETTINGS } from "@/lib/review/default-policy";
import type { ClassifierSettings, RoutingPolicy, SignalAction } from "@/lib/review/policy";

export interface TopicDraft {
  /** React key; stable while the id is edited. */
  key: string;
  id: string;
  name: string;
  description: string;
  examples: string;
  keywords: string;
  action: "hold" | "refuse";
  threshold: string;
  isNew: boolean;
}

export type ThresholdKey = keyof RoutingPolicy["thresholds"];

export interface PolicyDraft {
  topics: TopicDraft[];
  thresholds: Record<ThresholdKey, string>;
  pii: SignalAction;
  injection: SignalAction;
  amount: string;
  amountAction: "hold" | "refuse";
  amountKeywords: string;
  amountTopicId?: string;
  promisesAction: SignalAction;
  promisesKeywords: string;
  promisesTopicId?: string;
  /** Risk at which the classifier acts, unless a category sets its own. */
  classifierMinRisk: string;
  /** One row per category, in the classifier's order; a blank threshold means classifierMinRisk. */
  categories: CategoryDraft[];
  /** A retrained classifier the policy uses; not edited here, but kept on save. */
  classifierModel?: ClassifierSettings["model"];
  /** The model judge (only where an instruct model answers): may it add holds. */
  judge: "hold" | "none";
}

export interface CategoryDraft {
  id: string;
  action: SignalAction;
  threshold: string;
}

const lines = (list: readonly string[]) => list.join("\n");
const unlines = (text: string) => text.split("\n").map((s) => s.trim()).filter(Boolean);

export function toDraft(policy: RoutingPolicy): PolicyDraft {
  return {
    topics: policy.topics.map((t) => ({
      key: t.id,
      id: t.id,
      name: t.name,
      description: t.description,
      examples: lines(t.examples),
      keywords: lines(t.keywords),
      action: t.action,
      threshold: t.threshold === undefined ? "" : String(t.threshold),
      isNew: false,
    })),
    thresholds: Object.fromEntries(Object.entries(policy.thresholds).map(([k, v]) => [k, String(v)])) as Record<ThresholdKey, string>,
    pii: policy.pii.action,
    injection: policy.injection.action,
    amount: String(policy.amountLimit.amount),
    amountAction: policy.amountLimit.action,
    amountKeywords: lines(policy.amountLimit.keywords),
    amountTopicId: policy.amountLimit.topicId,
    promisesAction: policy.promises.action,
    promisesKeywords: lines(policy.promises.keywords),
    promisesTopicId: policy.promises.topicId,
    ...classifierDraft(policy.classifier ?? DEFAULT_CLASSIFIER_SETTINGS),
    judge: policy.judge?.action ?? "hold",
  };
}

function classifierDraft(settings: ClassifierSettings): Pick<PolicyDraft, "classifierMinRisk" | "categories" | "classifierModel"> {
  return {
    classifierModel: settings.model,
    classifierMinRisk: String(settings.minRisk),
    categories: RISK_CATEGORIES.map(({ id }) => {
      const c = settings.categories[id];
      return { id, action: c?.action ?? "hold", threshold: c?.minRisk === undefined ? "" : String(c.minRisk) };
    }),
  };
}

/** Only categories that differ from "hold at the common threshold" are stored. */
function classifierFromDraft(d: PolicyDraft): ClassifierSettings {
  const categories: ClassifierSettings["categories"] = {};
  for (const c of d.categories) {
    if (c.action === "hold" && c.threshold.trim() === "") continue;
    categories[c.id] = { action: c.action, ...(c.threshold.trim() === "" ? {} : { minRisk: num(c.threshold) }) };
  }
  return { minRisk: num(d.classifierMinRisk), categories, ...(d.classifierModel ? { model: d.classifierModel } : {}) };
}

/** Numbers left blank or mistyped become NaN, which the server names in its error. */
const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

export function fromDraft(d: PolicyDraft): RoutingPolicy {
  return {
    topics: d.topics.map((t) => ({
      id: t.id.trim(),
      name: t.name.trim(),
      description: t.description.trim(),
      examples: unlines(t.examples),
      keywords: unlines(t.keywords),
      action: t.action,
      ...(t.threshold.trim() === "" ? {} : { threshold: num(t.threshold) }),
    })),
    thresholds: Object.fromEntries(Object.entries(d.thresholds).map(([k, v]) => [k, num(v)])) as RoutingPolicy["thresholds"],
    pii: { action: d.pii },
    injection: { action: d.injection },
    classifier: classifierFromDraft(d),
    judge: { action: d.judge },
    amountLimit: {
      amount: num(d.amount),
      action: d.amountAction,
      keywords: unlines(d.amountKeywords),
      ...(d.amountTopicId ? { topicId: d.amountTopicId } : {}),
    },
    promises: {
      action: d.promisesAction,
      keywords: unlines(d.promisesKeywords),
      ...(d.promisesTopicId ? { topicId: d.promisesTopicId } : {}),
    },
  };
}

/** A lower-case id from a name, for new topics. */
export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
}

export const ACTION_LABELS: Record<SignalAction, string> = { hold: "Hold for review", refuse: "Refuse", none: "Note only" };
