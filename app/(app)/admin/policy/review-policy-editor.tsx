"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RoutingPolicy, SignalAction } from "@/lib/review/policy";
import { CategoryTable } from "./category-table";
import { ACTION_LABELS, fromDraft, toDraft, type PolicyDraft, type ThresholdKey } from "./draft";
import { TopicCard } from "./topic-card";
import { TryQuestion } from "./try-question";

const THRESHOLDS: { key: ThresholdKey; label: string; hint: string }[] = [
  { key: "topicSimilarity", label: "Topic similarity", hint: "Similarity to a topic's example questions (0–1) at which the topic matches." },
  { key: "minRetrievalScore", label: "Minimum retrieval score", hint: "The best passage must score at least this (0–1), or the answer is held as weakly grounded." },
  { key: "minVectorScore", label: "Minimum similarity of passages", hint: "The closest passage by meaning must reach this (0 turns the check off)." },
  { key: "unsupportedShare", label: "Unsupported sentences", hint: "Hold when more than this share of answer sentences is not backed by a cited passage." },
  { key: "sentenceSupport", label: "Sentence support", hint: "Share of a sentence's words a cited passage must contain to support it." },
];

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const fieldset = "rounded-lg border border-slate-200 p-4";

function ActionSelect({ value, onChange, label, allowNone = true }: { value: SignalAction; onChange: (v: SignalAction) => void; label: string; allowNone?: boolean }) {
  return (
    <label className="block text-sm">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as SignalAction)} className={`${input} bg-white`}>
        {(["hold", "refuse", ...(allowNone ? ["none" as const] : [])] as SignalAction[]).map((a) => <option key={a} value={a}>{ACTION_LABELS[a]}</option>)}
      </select>
    </label>
  );
}

/** The review-policy editor: topics, risk categories, thresholds and actions. Each save is a new, audited version. */
export function ReviewPolicyEditor({ policy, version }: { policy: RoutingPolicy; version: number }) {
  const router = useRouter();
  const [draft, setDraft] = useState<PolicyDraft>(() => toDraft(policy));
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(fromDraft(toDraft(policy))));
  const changed = JSON.stringify(fromDraft(draft)) !== savedJson;
  const [baseVersion, setBaseVersion] = useState(version);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // A version made elsewhere on the page (a retrain, a restore) replaces an unchanged draft.
  const [shownVersion, setShownVersion] = useState(version);
  if (version !== shownVersion) {
    setShownVersion(version);
    if (version > baseVersion && !changed) {
      setDraft(toDraft(policy));
      setSavedJson(JSON.stringify(fromDraft(toDraft(policy))));
      setBaseVersion(version);
    }
  }
  const edit = (changes: Partial<PolicyDraft>) => {
    setMessage(null);
    setDraft((d) => ({ ...d, ...changes }));
  };

  async function save() {
    setSaving(true);
    setMessage(null);
    try {
      const res = await fetch("/api/admin/policy", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ policy: fromDraft(draft), baseVersion }) });
      const data = (await res.json().catch(() => ({}))) as { version?: number; policy?: RoutingPolicy; message?: string };
      if (!res.ok || data.version === undefined || !data.policy) return setMessage({ ok: false, text: data.message ?? `Saving failed (${res.status}).` });
      setDraft(toDraft(data.policy));
      setSavedJson(JSON.stringify(fromDraft(toDraft(data.policy))));
      setBaseVersion(data.version);
      setMessage({ ok: true, text: `Saved as version ${data.version}.` });
      router.refresh();
    } catch {
      setMessage({ ok: false, text: "Could not reach the server. Check your connection and try again." });
    } finally {
      setSaving(false);
    }
  }

  const addTopic = () =>
    edit({ topics: [...draft.topics, { key: `new-${Date.now()}`, id: "", name: "", description: "", examples: "", keywords: "", action: "hold", threshold: "", isNew: true }] });

  return (
    <div className="space-y-6">
      <TryQuestion policy={() => fromDraft(draft)} />

      <form aria-label="Review policy" onSubmit={(e) => { e.preventDefault(); void save(); }} className="space-y-6">
        <section aria-labelledby="topics-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="topics-heading" className="text-lg font-semibold">High-stakes topics</h2>
            <p className="text-sm text-slate-500" data-testid="policy-version">Version {baseVersion}</p>
          </div>
          <p className="mt-1 text-sm text-slate-600">A question that mentions a topic&apos;s keywords, or is close in meaning to its example questions, is held for a reviewer or refused.</p>
          <div className="mt-4 space-y-4">
            {draft.topics.map((t, i) => (
              <TopicCard key={t.key} topic={t}
                onChange={(next) => edit({ topics: draft.topics.map((x, j) => (j === i ? next : x)) })}
                onRemove={() => edit({ topics: draft.topics.filter((_, j) => j !== i) })} />
            ))}
            {draft.topics.length === 0 && <p className="text-sm text-slate-500">No topics: only the checks below apply.</p>}
          </div>
          <button type="button" onClick={addTopic} className="mt-4 rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">Add topic</button>
        </section>

        <CategoryTable draft={draft} edit={edit} />

        <section aria-labelledby="checks-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="checks-heading" className="text-lg font-semibold">Checks on every answer</h2>
          <div className="mt-4 grid gap-4 lg:grid-cols-3">
            <fieldset className={fieldset}>
              <legend className="px-1 text-sm font-medium">Refunds and credits</legend>
              <label className="block text-sm">
                Limit in dollars
                <input value={draft.amount} onChange={(e) => edit({ amount: e.target.value })} inputMode="decimal" className={input} />
              </label>
              <span className="mt-1 block text-xs text-slate-500">Amounts above it, written near one of these words, take the action.</span>
              <div className="mt-2"><ActionSelect label="Action" value={draft.amountAction} allowNone={false} onChange={(v) => edit({ amountAction: v as PolicyDraft["amountAction"] })} /></div>
              <label className="mt-2 block text-sm">
                Words
                <textarea value={draft.amountKeywords} onChange={(e) => edit({ amountKeywords: e.target.value })} rows={4} className={`${input} font-mono text-xs`} />
              </label>
            </fieldset>
            <fieldset className={fieldset}>
              <legend className="px-1 text-sm font-medium">Personal data and injection</legend>
              <ActionSelect label="Personal data (emails, phones, cards, IBANs, national ids)" value={draft.pii} onChange={(v) => edit({ pii: v })} />
              <div className="mt-3"><ActionSelect label="Prompt injection (question or passages)" value={draft.injection} onChange={(v) => edit({ injection: v })} /></div>
              <div className="mt-3"><ActionSelect label="Commitments in an answer" value={draft.promisesAction} onChange={(v) => edit({ promisesAction: v })} /></div>
              <label className="mt-3 block text-sm">
                Model judge
                <select value={draft.judge} onChange={(e) => edit({ judge: e.target.value as PolicyDraft["judge"] })} className={input} data-testid="judge-action">
                  <option value="hold">May add holds</option>
                  <option value="none">Off</option>
                </select>
                <span className="mt-0.5 block text-xs text-slate-500">Only when an instruct model answers: it reads each drafted answer before the agent sees it, and can hold but never release.</span>
              </label>
              <label className="mt-2 block text-sm">
                Commitment phrases
                <textarea value={draft.promisesKeywords} onChange={(e) => edit({ promisesKeywords: e.target.value })} rows={3} className={`${input} font-mono text-xs`} />
              </label>
            </fieldset>
            <fieldset className={fieldset}>
              <legend className="px-1 text-sm font-medium">Thresholds</legend>
              <div className="space-y-2">
                {THRESHOLDS.map((t) => (
                  <label key={t.key} className="block text-sm">
                    {t.label}
                    <input value={draft.thresholds[t.key]} onChange={(e) => edit({ thresholds: { ...draft.thresholds, [t.key]: e.target.value } })} inputMode="decimal" className={input} />
                    <span className="mt-0.5 block text-xs text-slate-500">{t.hint}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
        </section>

        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" disabled={saving || !changed} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
            {saving ? "Saving…" : "Save policy"}
          </button>
          {!changed && !message && <p className="text-sm text-slate-500">No unsaved changes.</p>}
          {message && <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>{message.text}</p>}
        </div>
      </form>
    </div>
  );
}
