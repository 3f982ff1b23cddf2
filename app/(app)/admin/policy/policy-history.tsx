"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PolicyVersionView } from "@/lib/review/admin";

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

/** Versions of the review policy, newest first; any older one can be made current again. */
export function PolicyHistory({ versions, current }: { versions: PolicyVersionView[]; current: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function restore(version: number) {
    if (!window.confirm(`Make version ${version} current again? It is saved as a new version; nothing is deleted.`)) return;
    setBusy(version);
    setError(null);
    try {
      const res = await fetch("/api/admin/policy/restore", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ version, baseVersion: current }) });
      const data = (await res.json().catch(() => ({}))) as { message?: string };
      if (!res.ok) return setError(data.message ?? `Restoring failed (${res.status}).`);
      router.refresh();
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <aside aria-labelledby="history-heading" className="h-fit rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="history-heading" className="text-lg font-semibold">Version history</h2>
      {error && <p role="alert" className="mt-2 text-sm text-red-700">{error}</p>}
      <ol className="mt-3 space-y-2 text-sm" data-testid="policy-history">
        {versions.map((v) => (
          <li key={v.version} className="border-b border-slate-100 pb-2 last:border-0">
            <span className="font-medium">Version {v.version}</span>
            {v.version === current ? (
              <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">current</span>
            ) : (
              <button type="button" onClick={() => restore(v.version)} disabled={busy !== null} className="ml-2 text-xs font-medium text-indigo-700 hover:underline disabled:opacity-50">
                {busy === v.version ? "Restoring…" : "Restore"}
              </button>
            )}
            <span className="block text-xs text-slate-500">{v.by} · {when(v.at)}</span>
            {v.classifier && <span className="block text-xs text-slate-500">Classifier: {v.classifier}</span>}
          </li>
        ))}
      </ol>
    </aside>
  );
}
