"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

export interface ConversationSummary {
  id: string;
  title: string;
}

export function ConversationList({ conversations, activeId, onNew }: { conversations: ConversationSummary[]; activeId?: string; onNew: () => void }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);

  async function rename(id: string, title: string) {
    setEditing(null);
    if (title.trim()) await fetch(`/api/conversations/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });
    router.refresh();
  }

  async function remove(id: string, title: string) {
    if (!confirm(`Delete the conversation "${title}"?`)) return;
    await fetch(`/api/conversations/${id}`, { method: "DELETE" });
    if (id === activeId) {
      onNew();
      router.push("/chat");
    }
    router.refresh();
  }

  return (
    <nav aria-label="Conversations" className="hidden min-h-0 flex-col border-r border-slate-200 bg-slate-100/60 md:flex">
      <div className="flex flex-col gap-2 p-3">
        <Link href="/chat" onClick={onNew} className="rounded-md bg-indigo-600 px-3 py-2 text-center text-sm font-medium text-white hover:bg-indigo-500">New conversation</Link>
        <Link href="/chat/awaiting-review" className="rounded-md px-3 py-1.5 text-center text-sm text-slate-700 hover:bg-slate-200">Awaiting review</Link>
      </div>
      <ul className="flex-1 space-y-0.5 overflow-y-auto px-2 pb-3">
        {conversations.map((c) => (
          <li key={c.id} className={`group flex items-center rounded-md ${c.id === activeId ? "bg-white shadow-sm" : "hover:bg-white/70"}`}>
            {editing === c.id ? (
              <form className="flex-1 p-1" onSubmit={(e) => { e.preventDefault(); void rename(c.id, String(new FormData(e.currentTarget).get("title"))); }}>
                <input name="title" defaultValue={c.title} aria-label="Conversation title" autoFocus onBlur={(e) => void rename(c.id, e.target.value)} className="w-full rounded border border-slate-300 px-2 py-1 text-sm" />
              </form>
            ) : (
              <>
                <Link href={`/chat/${c.id}`} aria-current={c.id === activeId ? "page" : undefined} className="min-w-0 flex-1 truncate px-3 py-2 text-sm">{c.title}</Link>
                <button type="button" aria-label={`Rename ${c.title}`} onClick={() => setEditing(c.id)} className="px-1 text-xs text-slate-500 opacity-0 hover:text-slate-800 focus:opacity-100 group-hover:opacity-100">✎</button>
                <button type="button" aria-label={`Delete ${c.title}`} onClick={() => remove(c.id, c.title)} className="px-2 text-xs text-slate-500 opacity-0 hover:text-red-700 focus:opacity-100 group-hover:opacity-100">✕</button>
              </>
            )}
          </li>
        ))}
        {conversations.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">No conversations yet.</li>}
      </ul>
    </nav>
  );
}
