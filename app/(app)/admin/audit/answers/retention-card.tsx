"use client";

import { useState } from "react";
import type { Retention } from "@/db/queries/settings";

/** How long answered turns keep their texts; hashes and provenance are kept regardless. */
export function RetentionCard({ initial }: { initial: Retention }) {
  const [days, setDays] = useState(String(initial.days));
  const [keepTexts, setKeepTexts] = useState(initial.keepTexts);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/admin/settings/retention", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ days: Number(days), keepTexts }) });
      if (!res.ok) return setMessage({ ok: false, text: ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `Saving failed (${res.status}).` });
      setMessage({ ok: true, text: "Saved. The hourly purge applies it; the change is in the audit log." });
    } catch {
      setMessage({ ok: false, text: "Could not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} aria-label="Retention" className="mb-4 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold">Retention</h2>
      <p className="mt-1 text-slate-600">
        Every answered turn keeps its record (who asked, the passages and document versions, the model and policies, the decision and who released it),
        also after the agent deletes the conversation. Question and answer texts are cleared after the period below; their hashes stay.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-4">
        <label>Keep texts for (days)
          <input type="number" min={1} max={3650} required value={days} onChange={(e) => setDays(e.target.value)} className="mt-1 block w-28 rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={!keepTexts} onChange={(e) => setKeepTexts(!e.target.checked)} />
          Keep only hashes of new questions and answers
        </label>
        <button disabled={busy} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50">Save retention</button>
      </div>
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-2 ${message.ok ? "text-emerald-700" : "text-amber-800"}`}>{message.text}</p>}
    </form>
  );
}
