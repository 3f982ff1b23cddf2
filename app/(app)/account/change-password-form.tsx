"use client";

import { useState } from "react";

export function ChangePasswordForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    if (data.get("next") !== data.get("repeat")) return setMessage({ ok: false, text: "The new passwords do not match." });
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/account/password", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ current: data.get("current"), next: data.get("next") }) });
      const body = (await res.json().catch(() => ({}))) as { message?: string; sessionsEnded?: number };
      if (!res.ok) return setMessage({ ok: false, text: body.message ?? `That did not work (${res.status}).` });
      form.reset();
      const others = body.sessionsEnded ?? 0;
      setMessage({ ok: true, text: `Password changed.${others ? ` Signed out ${others} other session${others === 1 ? "" : "s"}.` : ""}` });
    } catch {
      setMessage({ ok: false, text: "Could not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <form onSubmit={submit} aria-label="Change password" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="text-lg font-semibold">Change password</h2>
      <p className="text-sm text-slate-600">Your other sessions, on other browsers and devices, end when you change it.</p>
      <label className="block text-sm">Current password<input name="current" type="password" autoComplete="current-password" required className={field} /></label>
      <label className="block text-sm">New password (at least 12 characters)<input name="next" type="password" autoComplete="new-password" required minLength={12} className={field} /></label>
      <label className="block text-sm">New password again<input name="repeat" type="password" autoComplete="new-password" required className={field} /></label>
      {message && <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>{message.text}</p>}
      <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
