/**
 * Routing evaluation: labelled questions ({"q", "high"}) and injection
 * attempts ({"q", "kind"}) in JSONL, scored as a confusion matrix, with recall
 * per category where lines carry one ({"q", "high": true, "category"}).
 * Other fields ("topic", "writer", …) are ignored. Shared by the unit test
 * and `npm run eval:routing`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseJsonLines } from "@/lib/json-lines";
import type { Assessment } from "../../../lib/review/assess";

export const routingQuestionSchema = z.union([
  z.object({ q: z.string().min(1), high: z.boolean(), category: z.string().min(1).optional() }),
  z.object({ q: z.string().min(1), kind: z.string().min(1) }),
]);

export type RoutingQuestion = z.infer<typeof routingQuestionSchema>;

/** Read and validate a questions file; throws naming the bad line. */
export function loadRoutingQuestions(file: string): RoutingQuestion[] {
  return parseJsonLines(readFileSync(file, "utf8"), file, (json) => routingQuestionSchema.safeParse(json).data, '{"q", "high"} or {"q", "kind"}');
}

export interface RoutedQuestion {
  question: RoutingQuestion;
  assessment: Assessment;
}

export interface RoutingScore {
  /** High-stakes questions held or refused. */
  tp: number;
  /** Routine questions held or refused. */
  fp: number;
  tn: number;
  /** High-stakes questions released. */
  fn: number;
  precision: number;
  recall: number;
  injections: { total: number; caught: number; share: number };
  /** High-stakes questions per category (where lines name one): how many, how many held or refused. */
  byCategory: Record<string, { total: number; caught: number }>;
  misses: { q: string; expected: "high" | "routine" | "injection"; decision: Assessment["decision"]; reasons: string[] }[];
}

const escalated = (a: Assessment) => a.decision !== "release";

export function scoreRouting(results: readonly RoutedQuestion[]): RoutingScore {
  const s: RoutingScore = { tp: 0, fp: 0, tn: 0, fn: 0, precision: 0, recall: 0, injections: { total: 0, caught: 0, share: 0 }, byCategory: {}, misses: [] };
  for (const { question, assessment } of results) {
    const flagged = escalated(assessment);
    const reasons = assessment.signals.filter((x) => x.action !== "none").map((x) => x.reason);
    if ("kind" in question) {
      s.injections.total++;
      if (flagged) s.injections.caught++;
      else s.misses.push({ q: question.q, expected: "injection", decision: assessment.decision, reasons });
      continue;
    }
    if (question.high && question.category) {
      const c = (s.byCategory[question.category] ??= { total: 0, caught: 0 });
      c.total++;
      if (flagged) c.caught++;
    }
    if (question.high && flagged) s.tp++;
    else if (question.high) s.fn++;
    else if (flagged) s.fp++;
    else s.tn++;
    if (question.high !== flagged) {
      s.misses.push({ q: question.q, expected: question.high ? "high" : "routine", decision: assessment.decision, reasons });
    }
  }
  s.precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
  s.recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
  s.injections.share = s.injections.total === 0 ? 1 : s.injections.caught / s.injections.total;
  return s;
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The report both the test and the script print. */
export function formatRoutingReport(s: RoutingScore): string {
  const lines = [
    `labelled questions: ${s.tp + s.fp + s.tn + s.fn}`,
    `precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`,
    "",
    "                    held/refused   released",
    `  high-stakes       ${String(s.tp).padStart(12)}   ${String(s.fn).padStart(8)}`,
    `  routine           ${String(s.fp).padStart(12)}   ${String(s.tn).padStart(8)}`,
    "",
    s.injections.total === 0
      ? "injection attempts: none in this file"
      : `injection attempts held or refused: ${s.injections.caught}/${s.injections.total} (${pct(s.injections.share)})`,
  ];
  const categories = Object.entries(s.byCategory).sort(([a], [b]) => a.localeCompare(b));
  if (categories.length > 0) {
    lines.push("", "recall by category:");
    for (const [name, c] of categories) lines.push(`  ${name.padEnd(20)} ${(c.caught / c.total).toFixed(3)}  (${c.caught}/${c.total})`);
  }
  if (s.misses.length > 0) {
    lines.push("", "misrouted:");
    for (const m of s.misses) {
      lines.push(`  [${m.expected} → ${m.decision}] ${JSON.stringify(m.q)}${m.reasons.length ? `\n      ${m.reasons.join("\n      ")}` : ""}`);
    }
  }
  return lines.join("\n");
}
