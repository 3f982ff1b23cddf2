"use client";

import { useState } from "react";
import { usePost } from "./use-post";

/** Approving is two explicit steps, and binds to the entry exactly as the admin reviewed it (its fingerprint). */
export function ApproveButton({ modelId, fingerprint }: { modelId: string; fingerprint: string }) {
  const [confirming, setConfirming] = useState(false);
  const { pending, error, post } = usePost();

  async function approve() {
    if (await post(`/api/admin/models/${encodeURIComponent(modelId)}/approve`, { fingerprint })) setConfirming(false);
  }

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className="rounded-md border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
        Approve<span className="sr-only"> {modelId}</span>
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Confirm approval of ${modelId}`} className="space-y-2 text-sm">
      <p>
        Approve <span className="font-mono">{modelId}</span> with the license, files and terms shown above? Your approval is recorded in the audit
        log, and a later change to this entry will need a new approval.
      </p>
      <div className="flex gap-2">
        <button type="button" onClick={approve} disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {pending ? "Approving…" : "Confirm approval"}
        </button>
        <button type="button" onClick={() => setConfirming(false)} disabled={pending} className="rounded-md border border-slate-300 px-3 py-1.5">Cancel</button>
      </div>
      {error && <p role="alert" className="text-red-700">{error}</p>}
    </div>
  );
}
