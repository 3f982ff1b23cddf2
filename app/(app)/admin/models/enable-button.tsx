"use client";

import { usePost } from "./use-post";

/** Enables a downloaded, verified and approved model, so it can be chosen for use. */
export function EnableButton({ modelId }: { modelId: string }) {
  const { pending, error, post } = usePost();
  const enable = () => post(`/api/admin/models/${encodeURIComponent(modelId)}/enable`, {});

  return (
    <div className="space-y-2 text-sm">
      <button type="button" onClick={enable} disabled={pending} className="rounded-md border border-indigo-600 px-3 py-1.5 font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-60">
        {pending ? "Enabling…" : "Enable"}<span className="sr-only"> {modelId}</span>
      </button>
      {error && <p role="alert" className="text-red-700">{error}</p>}
    </div>
  );
}
