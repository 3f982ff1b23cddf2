"use client";

import type { DocumentView } from "@/lib/kb/views";
import type { UploadOutcome } from "./upload";

export interface UploadState {
  key: string;
  name: string;
  size: number;
  phase: "waiting" | "uploading" | "done" | "failed";
  uploaded: number;
  results?: UploadOutcome[];
  message?: string;
}

const STAGES = ["queued", "parsing", "chunking", "embedding", "ready"] as const;
const STATUS_STYLE: Record<string, string> = {
  ready: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  queued: "bg-slate-100 text-slate-700",
};

function Bar({ value, label, tone = "bg-indigo-500" }: { value: number; label: string; tone?: string }) {
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)} className="h-1.5 w-full overflow-hidden rounded bg-slate-100">
      <div className={`h-full ${tone} transition-all`} style={{ width: `${Math.round(value * 100)}%` }} />
    </div>
  );
}

/** Overall processing progress: each stage is a fifth of the bar. */
function processingFraction(doc: DocumentView): number {
  if (doc.status === "ready") return 1;
  const i = STAGES.indexOf(doc.status as (typeof STAGES)[number]);
  return i < 0 ? 0 : (i + Math.min(1, doc.progress)) / (STAGES.length - 1);
}

export function UploadRow({ upload, documents }: { upload: UploadState; documents: Map<string, DocumentView> }) {
  const results = upload.results ?? [];
  // Sent, but refused on arrival (empty, too large, not a document): not "uploaded".
  const refused = results.length > 0 && results.every((r) => r.outcome === "rejected");
  return (
    <li className="space-y-1 px-3 py-2 text-sm" data-testid={`upload-${upload.name}`}>
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-medium">{upload.name}</span>
        <span className="shrink-0 text-xs text-slate-500">{upload.phase === "failed" ? "upload failed" : refused ? "refused" : upload.phase === "done" ? "uploaded" : upload.phase === "uploading" ? `uploading ${Math.round(upload.uploaded * 100)}%` : "waiting"}</span>
      </div>
      <Bar value={upload.uploaded} label={`Upload of ${upload.name}`} tone={upload.phase === "failed" || refused ? "bg-red-500" : "bg-sky-500"} />
      {upload.message && <p className="text-xs text-red-700">{upload.message}</p>}
      {results.map((r) => {
        const doc = r.documentId ? documents.get(r.documentId) : undefined;
        const status = r.outcome === "rejected" ? "failed" : r.outcome === "duplicate" ? "duplicate" : (doc?.status ?? "queued");
        return (
          <div key={r.fileName} className="space-y-1 pl-3" data-testid={`processing-${r.fileName}`}>
            <div className="flex justify-between gap-2 text-xs">
              <span className="truncate text-slate-600">{results.length > 1 ? r.fileName : "processing"}</span>
              <span data-testid="processing-status" className={status === "failed" ? "text-red-700" : "text-slate-600"}>
                {r.outcome === "duplicate" ? "duplicate: already in this knowledge base" : status}
                {r.outcome === "new-version" && " (new version)"}
              </span>
            </div>
            {r.outcome !== "duplicate" && r.outcome !== "rejected" && doc && <Bar value={processingFraction(doc)} label={`Processing of ${r.fileName}`} tone={doc.status === "failed" ? "bg-red-500" : "bg-indigo-500"} />}
            {(r.error || doc?.error) && <p className="text-xs text-red-700">{r.error ?? doc?.error}</p>}
          </div>
        );
      })}
    </li>
  );
}

/** Passages set aside as planted instructions: each shown only on request, behind a warning, with the admin's way out. */
function Quarantined({ doc, onClear }: { doc: DocumentView; onClear: (doc: DocumentView, chunkId: string) => void }) {
  const n = doc.quarantined.length;
  return (
    <details className="mt-1 text-xs" data-testid="quarantine">
      <summary className="cursor-pointer rounded bg-red-100 px-1.5 py-0.5 font-medium text-red-800">
        {n} passage{n === 1 ? "" : "s"} quarantined
      </summary>
      <ul className="mt-1 space-y-2">
        {doc.quarantined.map((q) => (
          <li key={q.chunkId} className="rounded border border-red-200 bg-red-50 p-2">
            <p className="text-red-900">Set aside {q.at.slice(0, 16).replace("T", " ")} UTC: {q.reason}. It is not given to the model or shown to agents.</p>
            <details className="mt-1">
              <summary className="cursor-pointer text-red-800">Show the passage (it may contain an attacker&apos;s instructions, links or account numbers)</summary>
              <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-white p-2 text-slate-800">{q.text}</pre>
            </details>
            <button type="button" onClick={() => onClear(doc, q.chunkId)} className="mt-1 rounded border border-slate-300 bg-white px-2 py-0.5 hover:bg-slate-100">
              It is harmless: use it again
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function DocumentRow({ doc, onAction, onClear }: { doc: DocumentView; onAction: (doc: DocumentView, action: "delete" | "reindex") => void; onClear: (doc: DocumentView, chunkId: string) => void }) {
  const active = !["ready", "failed"].includes(doc.status);
  return (
    <tr data-testid={`doc-${doc.fileName}`}>
      <td className="max-w-xs px-3 py-2">
        <div className="truncate font-medium" title={doc.fileName}>{doc.fileName}</div>
        <div className="text-xs text-slate-500">{doc.type ?? "—"} · {(doc.bytes / 1024).toFixed(1)} KB</div>
        {doc.quarantined.length > 0 && <Quarantined doc={doc} onClear={onClear} />}
      </td>
      <td className="w-48 px-3 py-2">
        <span data-testid="doc-status" className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[doc.status] ?? "bg-indigo-100 text-indigo-800"}`}>{doc.status}</span>
        {active && <div className="mt-1"><Bar value={processingFraction(doc)} label={`Processing of ${doc.fileName}`} /></div>}
        {doc.error && <p className="mt-1 text-xs text-red-700">{doc.error}</p>}
      </td>
      <td className="px-3 py-2">{doc.pages ?? "—"}</td>
      <td className="px-3 py-2">{doc.chunkCount ?? "—"}</td>
      <td className="px-3 py-2">
        v{doc.version}
        {/* Impact: after a wrong page is found, which answers were given this version. */}
        <a href={`/admin/audit/answers?doc=${doc.id}&version=${doc.version}`} className="ml-2 text-xs text-indigo-700 hover:underline">answers<span className="sr-only"> that used {doc.fileName} version {doc.version}</span></a>
      </td>
      <td className="px-3 py-2 text-slate-600">{doc.uploadedBy ?? "—"}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">
        <button type="button" disabled={active} onClick={() => onAction(doc, "reindex")} className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-40">
          Re-index<span className="sr-only"> {doc.fileName}</span>
        </button>{" "}
        <button type="button" onClick={() => onAction(doc, "delete")} className="rounded-md border border-red-200 px-2 py-1 text-xs text-red-700 hover:bg-red-50">
          Delete<span className="sr-only"> {doc.fileName}</span>
        </button>
      </td>
    </tr>
  );
}
