/** Admin › Audit › Answers: the filter read from a query string (page and export share it), and the CSV rows. */
import { z } from "zod";
import type { TurnFilter, TurnRecord } from "@/db/queries/turn-records";
import { csvCell, dateParam } from "./filter";

const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => v || undefined);
export const OUTCOMES = ["released", "held", "rejected", "refused", "failed", "incomplete", "not_found"] as const;

export const turnQuerySchema = z.object({
  user: optionalText(320),
  from: dateParam,
  to: dateParam,
  kb: z.string().uuid().optional().or(z.literal("").transform(() => undefined)),
  doc: z.string().uuid().optional().or(z.literal("").transform(() => undefined)),
  file: optionalText(300),
  version: z.union([z.literal("").transform(() => undefined), z.coerce.number().int().min(1).max(1_000_000)]).optional(),
  model: optionalText(300),
  outcome: z.enum(OUTCOMES).optional().or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export type TurnQuery = z.infer<typeof turnQuerySchema>;

export function toTurnFilter(q: TurnQuery): TurnFilter {
  // A bare date as "to" means the whole of that day.
  const to = q.to && q.to.getUTCHours() === 0 && q.to.getUTCMinutes() === 0 ? new Date(q.to.getTime() + 86_400_000) : q.to;
  return { user: q.user, from: q.from, to, kbId: q.kb, docId: q.doc, file: q.file, docVersion: q.version, model: q.model, outcome: q.outcome };
}

const COLUMNS = ["id", "created_at", "user_email", "outcome", "answer_mode", "model", "manifest_entry", "model_policy_version", "review_policy_version", "documents", "decision", "reviewer", "review_decision", "question", "question_sha256", "answer", "answer_sha256", "record_sha256"] as const;

export function turnCsvHeader(): string {
  return COLUMNS.join(",") + "\r\n";
}

/** The documents a turn was given, as "file@version" (several separated by "; "). */
export function documentsOf(r: Pick<TurnRecord, "chunks">): string {
  return [...new Set(r.chunks.map((c) => `${c.fileName}@v${c.docVersion}`))].join("; ");
}

export function turnCsvRow(r: TurnRecord): string {
  return [
    r.id,
    r.createdAt.toISOString(),
    r.userEmail,
    r.outcome,
    r.answerMode,
    r.model?.id ?? "",
    r.model?.manifestEntry ?? "",
    r.modelPolicyVersion?.toString() ?? "",
    r.reviewPolicyVersion?.toString() ?? "",
    documentsOf(r),
    r.assessment.decision,
    r.review?.reviewerEmail ?? "",
    r.review?.decision ?? "",
    r.question ?? "",
    r.questionSha256,
    r.answer ?? "",
    r.answerSha256 ?? "",
    r.sha256,
  ]
    .map(csvCell)
    .join(",") + "\r\n";
}
