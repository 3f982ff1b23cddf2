"use client";

import { useState } from "react";
import { sendUser, type UserRow } from "./user-row";

/** An admin's new password for another user, who is signed out everywhere; the admin passes it on. */
export function SetPasswordForm({ user, onDone }: { user: UserRow; onDone: (message: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setPending(true);
    const { sessionsEnded: ended, message } = await sendUser<{ sessionsEnded: number }>(`/api/admin/users/${user.id}/password`, "PUT", { password });
    setPending(false);
    if (ended === undefined) return setError(message ?? "Could not set the password.");
    onDone(`New password set for ${user.email}${ended > 0 ? `; ${ended === 1 ? "their session was" : `their ${ended} sessions were`} ended` : ""}. Give it to them in person or by a channel you trust; they can change it under Your account.`);
  }

  return (
    <form onSubmit={onSubmit} aria-label={`New password for ${user.email}`} noValidate className="flex flex-wrap items-end gap-2 py-2">
      <label className="text-sm">
        New password for {user.email}
        <input name="password" type="password" minLength={12} required autoComplete="new-password" autoFocus className="mt-1 block w-72 rounded-md border border-slate-300 px-3 py-1.5" />
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60">Set password</button>
      <button type="button" onClick={() => onDone("")} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">Cancel</button>
      <p className="w-full text-xs text-slate-500">At least 12 characters. Every session of theirs ends at once.</p>
      {error && <p role="alert" className="w-full text-sm text-red-700">{error}</p>}
    </form>
  );
}
