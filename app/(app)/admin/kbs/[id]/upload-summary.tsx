"use client";

import type { DocumentView } from "@/lib/kb/views";
import { UploadRow, type UploadState } from "./document-rows";

/** Uploads of more files than this are summarised: counts per state and the failures, not a row per file. */
export const SUMMARY_FROM = 8;

type State = "sending" | "processing" | "ready" | "duplicate" | "refused" | "failed";
const ORDER: State[] = ["sending", "processing", "ready", "duplicate", "refused", "failed"];
const LABEL: Record<State, string> = { sending: "sending", processing: "processing", ready: "ready", duplicate: "already there", refused: "refused", failed: "failed" };

/** Each file's state, and why when it did not make it. */
function outcomes(uploads: readonly UploadState[], documents: Map<string, DocumentView>): { name: string; state: State; why?: string }[] {
  return uploads.flatMap((u) => {
    if (u.phase === "failed") return [{ name: u.name, state: "failed" as State, why: u.message }];
    if (u.phase !== "done") return [{ name: u.name, state: "sending" as State }];
    return (u.results ?? []).map((r) => {
      if (r.outcome === "rejected") return { name: r.fileName, state: "refused" as State, why: r.error };
      if (r.outcome === "duplicate") return { name: r.fileName, state: "duplicate" as State };
      const doc = r.documentId ? documents.get(r.documentId) : undefined;
      if (doc?.status === "ready") return { name: r.fileName, state: "ready" as State };
      if (doc?.status === "failed") return { name: r.fileName, state: "failed" as State, why: doc.error ?? undefined };
      return { name: r.fileName, state: "processing" as State };
    });
  });
}

export function UploadSummary({ uploads, documents }: { uploads: readonly UploadState[]; documents: Map<string, DocumentView> }) {
  const all = outcomes(uploads, documents);
  const count = (s: State) => all.filter((o) => o.state === s).length;
  const finished = all.filter((o) => o.state !== "sending" && o.state !== "processing").length;
  const problems = all.filter((o) => o.state === "refused" || o.state === "failed");
  return (
    <section aria-label="Uploads" data-testid="upload-summary" className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <p className="font-medium">{finished} of {all.length} files done</p>
      <div role="progressbar" aria-label="Upload and processing" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((100 * finished) / Math.max(1, all.length))} className="h-1.5 w-full overflow-hidden rounded bg-slate-100">
        <div className="h-full bg-indigo-500 transition-all" style={{ width: `${Math.round((100 * finished) / Math.max(1, all.length))}%` }} />
      </div>
      <ul className="flex flex-wrap gap-2 text-xs" aria-label="Files by state">
        {ORDER.filter((s) => count(s) > 0).map((s) => (
          <li key={s} data-testid={`upload-count-${s}`} className="rounded-full bg-slate-100 px-2 py-0.5">{count(s)} {LABEL[s]}</li>
        ))}
      </ul>
      {problems.length > 0 && (
        <ul aria-label="Files that did not make it" className="space-y-1 text-xs text-red-800">
          {problems.map((p, i) => <li key={`${p.name}-${i}`}><span className="font-medium">{p.name}</span>: {p.why ?? p.state}</li>)}
        </ul>
      )}
      <details className="text-xs">
        <summary className="cursor-pointer text-slate-600">Every file</summary>
        <ul className="mt-1 divide-y divide-slate-100">{uploads.map((u) => <UploadRow key={u.key} upload={u} documents={documents} />)}</ul>
      </details>
    </section>
  );
}
