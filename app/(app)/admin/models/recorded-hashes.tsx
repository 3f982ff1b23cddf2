"use client";

import { useState } from "react";
import type { RecordedHashes } from "@/lib/models/recorded-hashes";
import { usePost } from "./use-post";

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

/** Hashes recorded at download for files the manifest pins none for: the model cannot run until an admin approves them. */
export function RecordedHashesBox({ modelId, recorded }: { modelId: string; recorded: RecordedHashes }) {
  const [confirming, setConfirming] = useState(false);
  const { pending, error, post } = usePost();

  async function approve() {
    if (await post("/api/admin/models/pull/approve", { modelId, files: recorded.files })) setConfirming(false);
  }

  return (
    <div role="group" aria-label={`Recorded hashes of ${modelId}`} data-testid={`recorded-${modelId}`} className="mt-3 space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
      <p>
        The manifest pins no sha256 for these files, so Vouch recorded what it downloaded from <span className="font-mono">{recorded.source}</span> on {when(recorded.recordedAt)}.
        Compare them with the hashes the publisher lists. The model cannot run until you approve them; then the model policy and its own approval decide, as for any model.
      </p>
      <ul className="space-y-1 font-mono text-xs">
        {recorded.files.map((f) => (
          <li key={f.path} data-testid="recorded-file"><span className="font-medium">{f.path}</span> · {f.size} bytes · <span className="break-all">sha256 {f.sha256}</span></li>
        ))}
      </ul>
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span>Approve these hashes for <span className="font-mono">{modelId}</span>? Your approval is recorded in the audit log.</span>
          <button type="button" onClick={approve} disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
            {pending ? "Approving…" : "Confirm the hashes"}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={pending} className="rounded-md border border-slate-300 bg-white px-3 py-1.5">Cancel</button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} className="rounded-md border border-indigo-600 bg-white px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
          Approve the hashes<span className="sr-only"> of {modelId}</span>
        </button>
      )}
      {error && <p role="alert" className="text-red-700">{error}</p>}
    </div>
  );
}
