"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

export function CreateKbForm() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const res = await fetch("/api/admin/kbs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: form.name, description: form.description, visibility: form.visibility, ...(form.slug ? { slug: form.slug } : {}) }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) return setError(data.message ?? "Could not create the knowledge base.");
    router.push(`/admin/kbs/${data.knowledgeBase.id}`);
  }

  if (!open) {
    return <button type="button" onClick={() => setOpen(true)} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">New knowledge base</button>;
  }
  const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <form onSubmit={onSubmit} aria-label="New knowledge base" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2">
      <label className="text-sm">Name<input name="name" required className={field} /></label>
      <label className="text-sm">Slug (optional)<input name="slug" placeholder="from the name" className={field} /></label>
      <label className="text-sm sm:col-span-2">Description<textarea name="description" rows={2} className={field} /></label>
      <label className="text-sm">Who may read it
        <select name="visibility" defaultValue="all" className={field}>
          <option value="all">All agents</option>
          <option value="restricted">Only chosen users</option>
        </select>
      </label>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">Create</button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md border border-slate-300 px-4 py-2 text-sm">Cancel</button>
      </div>
      {error && <p role="alert" className="text-sm text-red-700 sm:col-span-2">{error}</p>}
    </form>
  );
}
