"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { DocumentView } from "@/lib/kb/views";
import { DocumentRow, UploadRow, type UploadState } from "./document-rows";
import { filesFromDrop, filesFromInput, uploadFile, type PendingFile } from "./upload";
import { SUMMARY_FROM, UploadSummary } from "./upload-summary";

const ACTIVE = new Set(["queued", "parsing", "chunking", "embedding"]);
const PARALLEL_UPLOADS = 2;

export function DocumentsPanel({ kbId, initialDocuments, maxUploadMb }: { kbId: string; initialDocuments: DocumentView[]; maxUploadMb: number }) {
  const [documents, setDocuments] = useState(initialDocuments);
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queue = useRef<PendingFile[]>([]);
  const inFlight = useRef(0);

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/admin/kbs/${kbId}/documents`, { cache: "no-store" });
    if (res.ok) setDocuments((await res.json()).documents);
  }, [kbId]);

  // Poll while anything is uploading or being processed, so the list updates without a reload.
  const busy = uploads.some((u) => u.phase === "uploading" || u.phase === "waiting") || documents.some((d) => ACTIVE.has(d.status));
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(refresh, 1000);
    return () => clearInterval(timer);
  }, [busy, refresh]);

  const patch = (key: string, change: Partial<UploadState>) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));

  function pump() {
    while (inFlight.current < PARALLEL_UPLOADS && queue.current.length) {
      const next = queue.current.shift()!;
      inFlight.current++;
      patch(next.key, { phase: "uploading" });
      uploadFile(`/api/admin/kbs/${kbId}/documents`, next, (fraction) => patch(next.key, { uploaded: fraction }))
        .then((results) => patch(next.key, { phase: "done", uploaded: 1, results }))
        .catch((e: Error) => patch(next.key, { phase: "failed", message: e.message }))
        .finally(() => {
          inFlight.current--;
          void refresh();
          pump();
        });
    }
  }

  function add(files: PendingFile[]) {
    if (!files.length) return;
    setError(null);
    setUploads((all) => [...files.map((f) => ({ key: f.key, name: f.path, size: f.file.size, phase: "waiting" as const, uploaded: 0 })), ...all]);
    queue.current.push(...files);
    pump();
  }

  async function onDrop(event: React.DragEvent) {
    event.preventDefault();
    setDragging(false);
    add(await filesFromDrop(event.dataTransfer).catch((e: Error) => (setError(e.message), [])));
  }

  async function act(doc: DocumentView, action: "delete" | "reindex") {
    if (action === "delete" && !confirm(`Delete ${doc.fileName} and its chunks?`)) return;
    const res = await fetch(`/api/admin/kbs/${kbId}/documents/${doc.id}${action === "reindex" ? "/reindex" : ""}`, { method: action === "delete" ? "DELETE" : "POST" });
    if (!res.ok) setError((await res.json().catch(() => ({}))).message ?? "That did not work.");
    await refresh();
  }

  async function clear(doc: DocumentView, chunkId: string) {
    if (!confirm(`Use this passage of ${doc.fileName} again? It will be given to the model and shown to agents.`)) return;
    const res = await fetch(`/api/admin/kbs/${kbId}/documents/${doc.id}/quarantine`, { method: "DELETE", headers: { "content-type": "application/json" }, body: JSON.stringify({ chunkId }) });
    if (!res.ok) setError((await res.json().catch(() => ({}))).message ?? "That did not work.");
    await refresh();
  }

  const byDocId = new Map(documents.map((d) => [d.id, d]));
  return (
    <section aria-label="Documents" className="space-y-4">
      <div
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
        className={`rounded-lg border-2 border-dashed p-6 text-center ${dragging ? "border-indigo-500 bg-indigo-50" : "border-slate-300 bg-white"}`}
      >
        <p className="font-medium">Drop files, folders or a .zip here</p>
        <p className="mt-1 text-sm text-slate-500">PDF, DOCX, HTML, Markdown, text and CSV, up to {maxUploadMb} MB each.</p>
        <div className="mt-3 flex justify-center gap-2 text-sm">
          <label className="cursor-pointer rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500">
            Choose files<input type="file" multiple className="sr-only" aria-label="Choose files" onChange={(e) => { add(filesFromInput(e.target.files)); e.target.value = ""; }} />
          </label>
          <label className="cursor-pointer rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100">
            Choose a folder
            <input type="file" multiple className="sr-only" aria-label="Choose a folder" ref={(el) => { el?.setAttribute("webkitdirectory", ""); }} onChange={(e) => { add(filesFromInput(e.target.files)); e.target.value = ""; }} />
          </label>
        </div>
      </div>
      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      {uploads.length > SUMMARY_FROM ? (
        <UploadSummary uploads={uploads} documents={byDocId} />
      ) : uploads.length > 0 && (
        <ul aria-label="Uploads" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {uploads.map((u) => <UploadRow key={u.key} upload={u} documents={byDocId} />)}
        </ul>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Documents in this knowledge base</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>{["Document", "Status", "Pages", "Chunks", "Version", "Uploaded by", ""].map((h, i) => <th key={i} scope="col" className="px-3 py-2 font-medium">{h || <span className="sr-only">Actions</span>}</th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {documents.map((d) => <DocumentRow key={d.id} doc={d} onAction={act} onClear={clear} />)}
            {documents.length === 0 && <tr><td colSpan={7} className="px-3 py-6 text-center text-slate-500">No documents yet.</td></tr>}
          </tbody>
        </table>
      </div>
    </section>
  );
}
