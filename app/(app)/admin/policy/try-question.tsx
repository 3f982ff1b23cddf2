"use client";

import { useState } from "react";
import type { Assessment } from "@/lib/review/assess";
import type { RoutingPolicy } from "@/lib/review/policy";
import { topicLabel } from "@/lib/review/topic-label";
import { ACTION_LABELS } from "./draft";

const DECISION_STYLE: Record<Assessment["decision"], string> = {
  release: "bg-emerald-100 text-emerald-800",
  hold: "bg-amber-100 text-amber-900",
  refuse: "bg-red-100 text-red-800",
};
const DECISION_TEXT: Record<Assessment["decision"], string> = { release: "Released", hold: "Held for review", refuse: "Refused" };

type Result = { assessment: Assessment; note?: string } | { error: string };

/** Runs the question check (as the chat does before retrieval) on typed text with the policy being edited. */
export function TryQuestion({ policy }: { policy: () => RoutingPolicy }) {
  const [question, setQuestion] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    try {
      const res = await fetch("/api/admin/policy/try", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question, policy: policy() }) });
      const data = (await res.json().catch(() => ({}))) as { assessment?: Assessment; note?: string; message?: string };
      setResult(res.ok && data.assessment ? { assessment: data.assessment, ...(data.note ? { note: data.note } : {}) } : { error: data.message ?? `Request failed (${res.status}).` });
    } catch {
      setResult({ error: "Could not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="try-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="try-heading" className="text-lg font-semibold">Try a question</h2>
      <p className="mt-1 text-sm text-slate-600">Checks typed text against the policy as edited on this page, saved or not. No passages are retrieved, so grounding is not judged here.</p>
      <form className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-start" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label className="flex-1 text-sm">
          <span className="sr-only">Question</span>
          <textarea value={question} onChange={(e) => setQuestion(e.target.value)} rows={2} placeholder="e.g. Can you refund the $1,200 we paid for the annual plan?"
            className="block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </label>
        <button type="submit" disabled={busy || question.trim() === ""} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
          {busy ? "Checking…" : "Check"}
        </button>
      </form>
      <div aria-live="polite" className="mt-3" data-testid="try-result">
        {result && "error" in result && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{result.error}</p>}
        {result && "assessment" in result && (
          <div className="space-y-2">
            <p className="text-sm">
              Decision:{" "}
              <span data-testid="try-decision" className={`rounded-full px-2 py-0.5 text-xs font-medium ${DECISION_STYLE[result.assessment.decision]}`}>
                {DECISION_TEXT[result.assessment.decision]}
              </span>
              {result.assessment.topic && <span className="ml-2 text-slate-600">filed under <span className="font-medium">{topicLabel(result.assessment.topic, policy().topics)}</span></span>}
            </p>
            {result.note && <p className="text-xs text-amber-800">{result.note}</p>}
            {result.assessment.signals.length === 0 ? (
              <p className="text-sm text-slate-500">No risk signal: nothing in the policy matched.</p>
            ) : (
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm">
                {result.assessment.signals.map((s, i) => (
                  <li key={i} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2">
                    <span className="w-20 shrink-0 font-mono text-xs text-slate-500">{s.kind}</span>
                    <span className="flex-1">{s.reason}</span>
                    <span className="text-xs text-slate-500">score {s.score.toFixed(2)} · {ACTION_LABELS[s.action]}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
