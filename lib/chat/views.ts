/** What the browser sees of a message; held drafts never appear here. */
import type { Message } from "@/db/queries/conversations";
import type { ReviewItem } from "@/db/queries/review";
import { QUOTED_LABEL, quoteFallbackNotice, type QuotedBy } from "@/lib/rag/quote";
import type { SourceSnapshot } from "@/lib/rag/sources";
import type { Assessment } from "@/lib/review/assess";
import { heldNotice } from "@/lib/review/held-reason";

export interface MessageView {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: Message["status"];
  sources: SourceSnapshot[];
  model: string | null;
  usage: { promptTokens: number | null; completionTokens: number | null };
  feedback: Message["feedback"];
  notice: string | null;
  /** For an answer quoted from the passages rather than written: the label the agent reads. */
  quoted: string | null;
  review: { id: string; status: ReviewItem["status"]; note: string | null } | null;
  /** While a reviewer has it: why, in plain words ("Held for review: money commitment"). */
  heldNotice: string | null;
  createdAt: string;
}

export function messageView(m: Message, review?: ReviewItem | null): MessageView {
  const risk = (m.risk ?? {}) as { error?: string; brokenCitations?: number[]; question?: Assessment; answer?: Assessment; quoted?: QuotedBy };
  const notice = risk.quoted?.fallback
    ? quoteFallbackNotice(risk.quoted.fallback)
    : m.status === "failed" || (m.status === "incomplete" && risk.error)
      ? `No answer could be generated (${risk.error ?? "the language model failed"}). The passages that match your question are shown instead.`
      : risk.brokenCitations?.length
        ? `Removed citations to missing sources: ${risk.brokenCitations.map((n) => `[${n}]`).join(", ")}.`
        : null;
  return {
    id: m.id,
    role: m.role,
    // A held or rejected answer's text stays on the server until a reviewer releases it.
    content: m.status === "held" || m.status === "rejected" ? "" : m.content,
    status: m.status,
    sources: (m.sources ?? []) as SourceSnapshot[],
    model: m.model,
    usage: { promptTokens: m.promptTokens, completionTokens: m.completionTokens },
    feedback: m.feedback,
    notice,
    quoted: risk.quoted ? [QUOTED_LABEL, risk.quoted.reason].filter(Boolean).join(" ") : null,
    review: review ? { id: review.id, status: review.status, note: review.status === "rejected" ? review.note : null } : null,
    heldNotice: m.status === "held" ? heldNotice([...(risk.question?.signals ?? []), ...(risk.answer?.signals ?? [])]) : null,
    createdAt: m.createdAt.toISOString(),
  };
}
