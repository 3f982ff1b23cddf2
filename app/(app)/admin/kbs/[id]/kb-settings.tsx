"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

interface KbProps {
  id: string;
  name: string;
  slug: string;
  description: string;
  visibility: "all" | "restricted";
  readerIds: string[];
  topK: number;
  minScore: number;
  chunkTokens: number;
  chunkOverlap: number;
}

export function KbSettings({ kb, users }: { kb: KbProps; users: { id: string; label: string }[] }) {
  const router = useRouter();
  const [visibility, setVisibility] = useState(kb.visibility);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const res = await fetch(`/api/admin/kbs/${kb.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: form.get("name"),
        description: form.get("description"),
        visibility,
        readerIds: visibility === "restricted" ? form.getAll("readers") : [],
        topK: Number(form.get("topK")),
        minScore: Number(form.get("minScore")),
        chunkTokens: Number(form.get("chunkTokens")),
        chunkOverlap: Number(form.get("chunkOverlap")) / 100,
      }),
    });
    const data = await res.json().catch(() => ({}));
    setMessage(res.ok ? { ok: true, text: "Saved." } : { ok: false, text: data.message ?? "Could not save." });
    if (res.ok) router.refresh();
  }

  async function onDelete() {
    if (!confirm(`Delete "${kb.name}" with all its documents, vectors and files? This cannot be undone.`)) return;
    const res = await fetch(`/api/admin/kbs/${kb.id}`, { method: "DELETE" });
    if (res.ok) router.push("/admin/kbs");
    else setMessage({ ok: false, text: (await res.json().catch(() => ({}))).message ?? "Could not delete." });
  }

  const field = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <aside className="space-y-4">
      <form onSubmit={onSubmit} aria-label="Knowledge base settings" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Settings</h2>
        <p className="text-xs text-slate-500">Slug <span className="font-mono">{kb.slug}</span> (for <code>npm run ingest -- … --kb {kb.slug}</code>)</p>
        <label className="block text-sm">Name<input name="name" defaultValue={kb.name} required className={field} /></label>
        <label className="block text-sm">Description<textarea name="description" defaultValue={kb.description} rows={3} className={field} /></label>
        <fieldset className="text-sm">
          <legend>Who may read it</legend>
          <label className="mt-1 flex items-center gap-2"><input type="radio" name="visibility" checked={visibility === "all"} onChange={() => setVisibility("all")} /> All agents</label>
          <label className="flex items-center gap-2"><input type="radio" name="visibility" checked={visibility === "restricted"} onChange={() => setVisibility("restricted")} /> Only chosen users</label>
        </fieldset>
        {visibility === "restricted" && (
          <fieldset className="max-h-48 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm">
            <legend className="px-1 text-xs text-slate-500">Readers</legend>
            {users.map((u) => (
              <label key={u.id} className="flex items-center gap-2"><input type="checkbox" name="readers" value={u.id} defaultChecked={kb.readerIds.includes(u.id)} /> {u.label}</label>
            ))}
          </fieldset>
        )}
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-600">Retrieval and chunking</summary>
          <div className="mt-2 grid grid-cols-2 gap-2">
            <label>Top k<input name="topK" type="number" min={1} max={50} defaultValue={kb.topK} className={field} /></label>
            <label>Min score<input name="minScore" type="number" min={0} max={1} step={0.01} defaultValue={kb.minScore} className={field} /></label>
            <label>Chunk tokens<input name="chunkTokens" type="number" min={32} max={2048} defaultValue={kb.chunkTokens} className={field} /></label>
            <label>Overlap %<input name="chunkOverlap" type="number" min={0} max={50} defaultValue={Math.round(kb.chunkOverlap * 100)} className={field} /></label>
          </div>
          <p className="mt-1 text-xs text-slate-500">Chunk settings apply to documents indexed from now on; re-index to apply them to existing ones.</p>
        </details>
        <button type="submit" className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">Save settings</button>
        {message && <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>{message.text}</p>}
      </form>
      <button type="button" onClick={onDelete} className="w-full rounded-md border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50">Delete knowledge base</button>
    </aside>
  );
}
