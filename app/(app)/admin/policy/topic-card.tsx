"use client";

import { ACTION_LABELS, slugify, type TopicDraft } from "./draft";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const count = (text: string) => text.split("\n").filter((l) => l.trim() !== "").length;

/** One high-stakes topic: what it is, how it is recognised, and what happens to it. */
export function TopicCard({ topic, onChange, onRemove }: { topic: TopicDraft; onChange: (t: TopicDraft) => void; onRemove: () => void }) {
  const set = (changes: Partial<TopicDraft>) => onChange({ ...topic, ...changes });
  const label = topic.name || "New topic";
  return (
    <details open={topic.isNew} className="group rounded-lg border border-slate-200" data-testid={`topic-${topic.key}`}>
      <summary className="flex cursor-pointer list-none flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50">
        <span aria-hidden className="text-slate-400 transition-transform group-open:rotate-90">▸</span>
        <span className="font-medium">{label}</span>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${topic.action === "refuse" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>{ACTION_LABELS[topic.action]}</span>
        <span className="text-xs text-slate-500">{count(topic.examples)} examples · {count(topic.keywords)} keywords</span>
        <span className="basis-full pl-6 text-sm text-slate-600">{topic.description}</span>
      </summary>
      <fieldset className="border-t border-slate-200 p-4">
        <legend className="sr-only">{label}</legend>
        <div className="grid gap-3 md:grid-cols-[1fr_12rem_10rem]">
          <label className="text-sm">
            Name
            <input value={topic.name} onChange={(e) => set({ name: e.target.value, ...(topic.isNew ? { id: slugify(e.target.value) } : {}) })} className={input} />
            <span className="mt-1 block text-xs text-slate-500">Id <span className="font-mono">{topic.id || "—"}</span>{topic.isNew ? " (from the name)" : " (kept with past decisions)"}</span>
          </label>
          <label className="text-sm">
            Action
            <select value={topic.action} onChange={(e) => set({ action: e.target.value as TopicDraft["action"] })} className={`${input} bg-white`}>
              <option value="hold">{ACTION_LABELS.hold}</option>
              <option value="refuse">{ACTION_LABELS.refuse}</option>
            </select>
          </label>
          <label className="text-sm">
            Similarity threshold
            <input value={topic.threshold} onChange={(e) => set({ threshold: e.target.value })} inputMode="decimal" placeholder="policy default" className={input} />
          </label>
        </div>
        <label className="mt-3 block text-sm">
          Description
          <input value={topic.description} onChange={(e) => set({ description: e.target.value })} className={input} />
        </label>
        <div className="mt-3 grid gap-3 md:grid-cols-2">
          <label className="text-sm">
            Example questions <span className="text-xs text-slate-500">(one per line; matched by meaning)</span>
            <textarea value={topic.examples} onChange={(e) => set({ examples: e.target.value })} rows={6} className={`${input} leading-snug`} />
          </label>
          <label className="text-sm">
            Keywords <span className="text-xs text-slate-500">(one per line; <span className="font-mono">refund*</span> for endings, <span className="font-mono">/…/</span> for a pattern)</span>
            <textarea value={topic.keywords} onChange={(e) => set({ keywords: e.target.value })} rows={6} className={`${input} font-mono text-xs leading-snug`} />
          </label>
        </div>
        <div className="mt-3 text-right">
          <button type="button" onClick={onRemove} className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
            Remove topic<span className="sr-only"> {label}</span>
          </button>
        </div>
      </fieldset>
    </details>
  );
}
