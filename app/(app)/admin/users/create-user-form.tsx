"use client";

import { useState } from "react";
import type { SendUser as Send, UserRow } from "./user-row";

export function CreateUserForm({ onCreate, send }: { onCreate: (u: UserRow) => void; send: Send }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = Object.fromEntries(new FormData(formEl));
    setPending(true);
    const result = await send("/api/admin/users", "POST", form);
    setPending(false);
    if (!result.user) return setError(result.message ?? "Could not create the user.");
    setError(null);
    formEl.reset();
    setOpen(false);
    onCreate(result.user);
  }

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
        Add user
      </button>
    );
  }
  const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <form onSubmit={onSubmit} aria-label="Add user" noValidate className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5 sm:items-end">
      <label className="text-sm">Name<input name="name" required className={field} /></label>
      <label className="text-sm">Email<input name="email" type="email" required className={field} /></label>
      <label className="text-sm">Role
        <select name="role" defaultValue="agent" className={field}>
          <option value="agent">agent</option>
          <option value="reviewer">reviewer</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <label className="text-sm">Password<input name="password" type="password" minLength={12} required autoComplete="new-password" className={field} /></label>
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60">Create</button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md border border-slate-300 px-4 py-2 text-sm">Cancel</button>
      </div>
      {error && <p role="alert" className="text-sm text-red-700 sm:col-span-5">{error}</p>}
    </form>
  );
}
