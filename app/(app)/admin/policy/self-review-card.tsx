"use client";

import { useState } from "react";

/** Separation of duties: whether whoever asked a held question may also decide on its answer. */
export function SelfReviewCard({ allowed: initial }: { allowed: boolean }) {
  const [allowed, setAllowed] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(next: boolean) {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/admin/policy/self-review", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ allowed: next }) });
      if (!res.ok) return setMessage({ ok: false, text: ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `Saving failed (${res.status}).` });
      setAllowed(next);
      setMessage({ ok: true, text: next ? "Saved. Reviewers may now decide on their own questions; each such decision is marked in the audit log." : "Saved. Another reviewer decides." });
    } catch {
      setMessage({ ok: false, text: "Could not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="duties-heading" className="h-fit rounded-lg border border-slate-200 bg-white p-5" data-testid="self-review-card">
      <h2 id="duties-heading" className="text-lg font-semibold">Separation of duties</h2>
      <p className="mt-1 text-sm text-slate-700">
        A reviewer who asked a question that was held cannot approve, edit or reject its answer: another reviewer decides.
      </p>
      <label className="mt-3 flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" checked={allowed} disabled={busy} onChange={(e) => void save(e.target.checked)} />
        <span>Let reviewers decide on their own questions (for teams with a single reviewer). Each such decision is marked in the audit log.</span>
      </label>
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-2 text-sm ${message.ok ? "text-emerald-700" : "text-amber-800"}`}>{message.text}</p>}
    </section>
  );
}
