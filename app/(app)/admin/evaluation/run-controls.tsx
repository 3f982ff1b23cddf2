"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send";

const KINDS = [
  { kind: "retrieval", label: "Run retrieval", hint: "recall@5, recall@10 and MRR for keyword, vector and hybrid search" },
  { kind: "answers", label: "Run answers", hint: "expected fact in the answer and expected document cited, in the active answer mode" },
  { kind: "routing", label: "Run routing", hint: "precision and recall of holds, on the set's labels and reviewers' decisions" },
] as const;

export function RunControls({ kbId, sets, attacks }: { kbId: string; sets: { id: string; name: string }[]; attacks: { builtIn: number; own: number } }) {
  const router = useRouter();
  const [picked, setSetId] = useState(sets[0]?.id ?? "");
  // A set uploaded after the page loaded arrives with the refresh: pick it when nothing valid is picked.
  const setId = sets.some((s) => s.id === picked) ? picked : (sets[0]?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start(kind: string, withSet: boolean) {
    setBusy(true);
    const failed = await sendJson("/api/admin/eval/runs", "POST", { kind, kbId, ...(withSet ? { setId } : {}) });
    setBusy(false);
    setError(failed);
    router.refresh();
  }

  return (
    <section aria-label="Run an evaluation" className="mb-6 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold">Run</h2>
      <p className="mt-1 text-slate-600">Runs use the live index, embedding model, answer mode and review policy; questions never enter anyone&apos;s conversations or the review queue.</p>
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <label>Question set
          <select value={setId} onChange={(e) => setSetId(e.target.value)} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5" disabled={sets.length === 0}>
            {sets.length === 0 && <option value="">no question sets yet</option>}
            {sets.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
        {KINDS.map((k) => (
          <button key={k.kind} title={k.hint} disabled={busy || !setId} onClick={() => void start(k.kind, true)} className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50">{k.label}</button>
        ))}
        <span className="mx-2 h-6 border-l border-slate-200" />
        <button disabled={busy} onClick={() => void start("red-team", false)} className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
          Run the red-team suite
        </button>
        <span className="text-xs text-slate-500">{attacks.builtIn} built-in attempts{attacks.own ? ` + ${attacks.own} of yours` : ""}</span>
      </div>
      {error && <p role="alert" className="mt-2 text-amber-800">{error}</p>}
    </section>
  );
}
