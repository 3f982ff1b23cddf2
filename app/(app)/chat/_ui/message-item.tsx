"use client";

import { useState } from "react";
import { renderAnswer, renderPassage } from "@/lib/chat/markdown";
import type { MessageView } from "@/lib/chat/views";

/** Drawn, not an emoji: servers without an emoji font would show boxes. */
function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className={`inline size-4 ${down ? "rotate-180" : ""}`} fill="currentColor">
      <path d="M2 9h3v9H2zM7 18h7.5a2 2 0 0 0 1.95-1.55l1.3-5.6A2 2 0 0 0 15.8 8.4H12l.6-3.2a1.8 1.8 0 0 0-3.3-1.3L7 8.5z" />
    </svg>
  );
}

const REVIEW_LABEL: Record<string, string> = {
  pending: "Sent for review — waiting for a reviewer",
  approved: "Approved by a reviewer",
  edited: "Edited and approved by a reviewer",
  rejected: "Rejected by a reviewer",
};

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** Who wrote the text the agent reads: the model, the passages' own words, or a reviewer. */
function answerLabel(message: MessageView): string {
  if (message.status === "failed") return `Not answered${message.model ? ` (${message.model} failed)` : ""}`;
  if (message.status === "incomplete") return `Interrupted${message.model ? ` (${message.model} was writing)` : ""}`;
  if (message.review?.status === "edited") return `Written by a reviewer${message.model ? `, from ${message.model}'s draft` : ""}`;
  const by = message.quoted ?? (message.model ? `Answered by ${message.model}` : "No model was called");
  return message.review?.status === "approved" ? `${by}, approved by a reviewer` : by;
}

export function MessageItem({
  message,
  streaming,
  line,
  isLast,
  onCite,
  onRegenerate,
}: {
  message: MessageView;
  streaming: boolean;
  /** While the answer waits for the writing model: its place in line and the expected wait. */
  line?: { position: number; etaSeconds: number } | null;
  isLast: boolean;
  onCite: (message: MessageView, n: number) => void;
  onRegenerate: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const [feedback, setFeedback] = useState(message.feedback);
  const [asking, setAsking] = useState(false);

  if (message.role === "user") {
    return (
      <li className="flex justify-end">
        <div className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-indigo-600 px-4 py-2 text-white">{message.content}</div>
      </li>
    );
  }

  async function rate(rating: "up" | "down" | null, reason?: string, shouldHaveBeenReviewed?: boolean) {
    setFeedback(rating ? { rating, reason } : null);
    await fetch(`/api/messages/${message.id}/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rating, reason, shouldHaveBeenReviewed }) });
  }

  const held = message.status === "held" || message.review?.status === "pending";
  // The retrieved passages (never a held draft) while there is no answer to read: it failed, or it waits for a reviewer.
  const interrupted = message.status === "incomplete" && !streaming;
  const showPassages = (message.status === "failed" && message.notice) || ((interrupted || held) && message.sources.length > 0);
  const html = renderAnswer(message.content, (n) => n >= 1 && n <= message.sources.length);
  return (
    <li className="flex flex-col items-start gap-1" data-testid="assistant-message" data-status={message.status}>
      <div
        className="answer max-w-[95%] rounded-2xl rounded-bl-sm border border-slate-200 bg-white px-4 py-3"
        onClick={(e) => {
          const n = (e.target as HTMLElement).closest<HTMLElement>("[data-cite]")?.dataset.cite;
          if (n) onCite(message, Number(n));
        }}
      >
        {held ? (
          <p data-testid="held-notice" className="flex items-center gap-2 text-amber-800"><span aria-hidden className="inline-block size-2 animate-pulse rounded-full bg-amber-500" />{message.heldNotice ?? "Sent for review"}</p>
        ) : message.status === "rejected" ? (
          <div data-testid="rejected-notice" className="text-red-800">
            <p className="font-medium">A reviewer rejected this answer.</p>
            {message.review?.note && <p className="mt-1 text-sm">Reviewer&apos;s note: {message.review.note}</p>}
          </div>
        ) : (
          <div className="prose-answer" data-testid="answer-text" dangerouslySetInnerHTML={{ __html: html || (streaming ? "<span class='text-slate-400'>…</span>" : "") }} />
        )}
        {streaming && line && !message.content && (
          <p role="status" data-testid="queue-place" className="mt-1 text-sm text-slate-600">
            Waiting for the writing model: {line.position === 1 ? "next in line" : `${ordinal(line.position)} in line`}, about {line.etaSeconds} s.
          </p>
        )}
        {message.review && !held && message.status !== "rejected" && <p className="mt-2 text-xs text-emerald-700" data-testid="review-state">{REVIEW_LABEL[message.review.status]}</p>}
        {message.notice && <p role="status" className="mt-2 rounded-md bg-amber-50 px-2 py-1 text-sm text-amber-900">{message.notice}</p>}
        {held && showPassages && <p className="mt-2 text-sm text-slate-600">While you wait, the passages that match your question:</p>}
        {interrupted && (
          <div data-testid="interrupted" className="mt-2 flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-2 py-1 text-sm text-slate-700">
            <span>This answer was interrupted before its end{message.content ? "" : ", before any of it was written"}.</span>
            {isLast && <button type="button" onClick={onRegenerate} className="rounded-md bg-indigo-600 px-2 py-0.5 text-white hover:bg-indigo-500">Retry</button>}
          </div>
        )}
        {interrupted && showPassages && <p className="mt-2 text-sm text-slate-600">The passages it had found:</p>}
        {showPassages && (
          <ol className="mt-2 space-y-2 text-sm" data-testid="waiting-passages">
            {message.sources.map((s) => (
              <li key={s.n} className="rounded-md border border-slate-200 p-2">
                <button type="button" className="text-left font-medium text-indigo-700 hover:underline" onClick={() => onCite(message, s.n)}>[{s.n}] {s.fileName}{s.headingPath ? ` › ${s.headingPath}` : ""}</button>
                <div className="prose-answer mt-1 line-clamp-4 text-slate-700" dangerouslySetInnerHTML={{ __html: renderPassage(s.text) }} />
              </li>
            ))}
          </ol>
        )}
      </div>
      {!streaming && !held && message.status !== "rejected" && (
        <div className="flex flex-wrap items-center gap-1 pl-2 text-xs text-slate-500">
          <span data-testid="answer-model">
            {answerLabel(message)}
          </span>
          {message.sources.length > 0 && <span>· {message.sources.length} source{message.sources.length === 1 ? "" : "s"}</span>}
          <button type="button" aria-label="Copy answer" className="ml-2 rounded px-1.5 py-0.5 hover:bg-slate-200" onClick={async () => { await navigator.clipboard?.writeText(message.content).catch(() => {}); setCopied(true); setTimeout(() => setCopied(false), 1500); }}>
            {copied ? "Copied" : "Copy"}
          </button>
          {isLast && <button type="button" aria-label="Regenerate answer" className="rounded px-1.5 py-0.5 hover:bg-slate-200" onClick={onRegenerate}>Regenerate</button>}
          <button type="button" aria-label="Good answer" aria-pressed={feedback?.rating === "up"} className={`rounded px-1.5 py-0.5 hover:bg-slate-200 ${feedback?.rating === "up" ? "text-emerald-700" : ""}`} onClick={() => rate(feedback?.rating === "up" ? null : "up")}><Thumb /></button>
          <button type="button" aria-label="Bad answer" aria-pressed={feedback?.rating === "down"} className={`rounded px-1.5 py-0.5 hover:bg-slate-200 ${feedback?.rating === "down" ? "text-red-700" : ""}`} onClick={() => setAsking(true)}><Thumb down /></button>
          {asking && (
            <form className="flex flex-wrap items-center gap-1" onSubmit={(e) => { e.preventDefault(); const form = new FormData(e.currentTarget); void rate("down", String(form.get("reason") ?? ""), form.get("review") === "on"); setAsking(false); }}>
              <input name="reason" aria-label="What was wrong?" placeholder="What was wrong?" className="rounded border border-slate-300 px-2 py-0.5" autoFocus />
              {message.status === "complete" && (
                <label className="flex items-center gap-1"><input type="checkbox" name="review" /> Should have gone to a reviewer</label>
              )}
              <button type="submit" className="rounded bg-slate-700 px-2 py-0.5 text-white">Send</button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}
