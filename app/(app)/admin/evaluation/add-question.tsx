"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send";

/** Builds a set one question at a time: pick the document that answers it, write the question. */
export function AddQuestion({ sets, documents }: { sets: { id: string; name: string }[]; documents: string[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (sets.length === 0) return <p className="rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-500">Upload a set first; then questions can be added to it here, one at a time.</p>;

  async function add(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const high = String(form.get("high"));
    const body = { question: String(form.get("question")), documents: [String(form.get("document"))], fact: String(form.get("fact") || "") || undefined, high: high === "" ? undefined : high === "yes" };
    const error = await sendJson(`/api/admin/eval/sets/${String(form.get("set"))}/questions`, "POST", body);
    setMessage(error ? { ok: false, text: error } : { ok: true, text: "Added as the set's next version." });
    if (!error) {
      formEl.reset();
      router.refresh();
    }
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <form onSubmit={add} aria-label="Add a question" className="rounded-md border border-slate-200 p-3 text-sm">
      <h3 className="font-medium">Add a question</h3>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        <label>Set<select name="set" className={input}>{sets.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></label>
        <label>Answered by<select name="document" required className={input}>{documents.map((d) => <option key={d}>{d}</option>)}</select></label>
        <label className="sm:col-span-2">Question<input name="question" required maxLength={4000} className={input} /></label>
        <label>Expected fact (optional)<input name="fact" maxLength={500} placeholder="e.g. within 14 days" className={input} /></label>
        <label>Needs a reviewer?
          <select name="high" className={input} defaultValue=""><option value="">not labelled</option><option value="yes">yes</option><option value="no">no</option></select>
        </label>
      </div>
      <button className="mt-3 rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">Add question</button>
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-2 ${message.ok ? "text-emerald-700" : "text-amber-800"}`}>{message.text}</p>}
    </form>
  );
}
