"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

export interface ClassifierInUse {
  /** Null for the shipped model. */
  trainedAt: string | null;
  labels: number;
  heldOut: number;
}

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

/** The classifier in use, and the button that retrains it from people's labels. */
export function RetrainCard({ inUse, labels, minLabels }: { inUse: ClassifierInUse; labels: number; minLabels: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function retrain() {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/admin/policy/retrain", { method: "POST" });
      const data = (await res.json().catch(() => ({}))) as { result?: { summary: string; version?: number }; message?: string };
      if (!res.ok || !data.result) return setMessage({ ok: false, text: data.message ?? `Retraining failed (${res.status}).` });
      const { summary, version } = data.result;
      setMessage({ ok: version !== undefined, text: version !== undefined ? `${summary} Saved as version ${version}.` : summary });
      router.refresh();
    } catch {
      setMessage({ ok: false, text: "Could not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  const tooFew = labels < minLabels;
  return (
    <section aria-labelledby="classifier-heading" className="h-fit rounded-lg border border-slate-200 bg-white p-5" data-testid="retrain-card">
      <h2 id="classifier-heading" className="text-lg font-semibold">Risk classifier</h2>
      <p className="mt-1 text-sm text-slate-700" data-testid="classifier-in-use">
        {inUse.trainedAt
          ? `Retrained ${when(inUse.trainedAt)} on ${inUse.labels} labelled decisions (${inUse.heldOut} held out to score it).`
          : "The shipped model, trained on the project's own labelled questions."}
      </p>
      <p className="mt-2 text-xs text-slate-500">
        Retraining adds the {labels} labelled decision{labels === 1 ? "" : "s"} to the shipped training data. One in five is held out: the new
        classifier is kept, as a new version, only if it decides at least as many of them right and holds at least as many that needed review.
      </p>
      <button type="button" onClick={retrain} disabled={busy || tooFew} className="mt-3 rounded-md border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-50">
        {busy ? "Retraining… (about half a minute)" : "Retrain from labels"}
      </button>
      {tooFew && <p className="mt-2 text-xs text-slate-500">Needs at least {minLabels} labelled decisions.</p>}
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-2 text-sm ${message.ok ? "text-emerald-700" : "text-amber-800"}`} data-testid="retrain-result">{message.text}</p>}
    </section>
  );
}
