"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send";

/** Reads a JSONL or CSV file in the browser and uploads it as a set (a new version when the name exists). */
export function UploadSet({ kbId }: { kbId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setMessage({ ok: false, text: "Choose a .jsonl or .csv file." });
    setBusy(true);
    const name = String(form.get("name") || file.name.replace(/\.(jsonl|csv|json)$/i, ""));
    const error = await sendJson("/api/admin/eval/sets", "POST", { kbId, name, purpose: form.get("purpose"), fileName: file.name, text: await file.text() });
    setBusy(false);
    setMessage(error ? { ok: false, text: error } : { ok: true, text: `Uploaded "${name}".` });
    if (!error) router.refresh();
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <form onSubmit={upload} aria-label="Upload a question set" className="rounded-md border border-slate-200 p-3 text-sm">
      <h3 className="font-medium">Upload a set</h3>
      <p className="mt-1 text-xs text-slate-500">
        JSON Lines: <code>{'{"question": "…", "documents": ["refunds.pdf"], "fact": "within 14 days", "high": false}'}</code>. CSV: a header row with <code>question</code>, <code>documents</code> (separated by <code>;</code>), <code>fact</code>, <code>high</code>. Red team: <code>attempt</code> and <code>kind</code>.
      </p>
      <div className="mt-2 grid gap-2 sm:grid-cols-3">
        <label>Name<input name="name" placeholder="from the file name" className={input} /></label>
        <label>Kind
          <select name="purpose" className={input} defaultValue="questions"><option value="questions">questions</option><option value="red-team">red-team attempts</option></select>
        </label>
        <label>File<input name="file" type="file" accept=".jsonl,.json,.csv,text/csv,application/json" className="mt-1 block w-full text-xs" /></label>
      </div>
      <button disabled={busy} className="mt-3 rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-50">{busy ? "Uploading…" : "Upload"}</button>
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-2 ${message.ok ? "text-emerald-700" : "text-amber-800"}`}>{message.text}</p>}
    </form>
  );
}
