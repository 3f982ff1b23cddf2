"use client";

import { Fragment, useState } from "react";
import { CreateUserForm } from "./create-user-form";
import { SetPasswordForm } from "./set-password-form";
import { sendUser as send, type UserRow } from "./user-row";

export function UsersTable({ initialUsers, currentUserId }: { initialUsers: UserRow[]; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [settingPassword, setSettingPassword] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function update(id: string, changes: Partial<Pick<UserRow, "role" | "active">>) {
    setBusy(id);
    setError(null);
    const result = await send(`/api/admin/users/${id}`, "PATCH", changes);
    setBusy(null);
    if (result.user) setUsers((all) => all.map((u) => (u.id === id ? result.user! : u)));
    else setError(result.message ?? "Update failed.");
  }

  return (
    <div className="space-y-6">
      <CreateUserForm onCreate={(u) => setUsers((all) => [...all, u].sort((a, b) => a.email.localeCompare(b.email)))} send={send} />
      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      {notice && <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{notice}</p>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Name</th>
              <th scope="col" className="px-4 py-2 font-medium">Email</th>
              <th scope="col" className="px-4 py-2 font-medium">Role</th>
              <th scope="col" className="px-4 py-2 font-medium">Status</th>
              <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <Fragment key={u.id}>
              <tr data-testid={`user-row-${u.email}`} className={u.active ? "" : "bg-slate-50 text-slate-500"}>
                <td className="px-4 py-2 font-medium">{u.name}{u.id === currentUserId && <span className="ml-2 text-xs text-slate-500">(you)</span>}</td>
                <td className="px-4 py-2">{u.email}</td>
                <td className="px-4 py-2">
                  <select aria-label={`Role for ${u.email}`} value={u.role} disabled={busy === u.id || u.id === currentUserId}
                    onChange={(e) => update(u.id, { role: e.target.value as UserRow["role"] })}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1">
                    <option value="agent">agent</option>
                    <option value="reviewer">reviewer</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td className="px-4 py-2">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${u.active ? "bg-emerald-100 text-emerald-800" : "bg-slate-200 text-slate-700"}`}>
                    {u.active ? "active" : "deactivated"}
                  </span>
                </td>
                <td className="px-4 py-2 text-right">
                  {u.id !== currentUserId && (
                    <div className="flex justify-end gap-2">
                      <button type="button" onClick={() => { setNotice(null); setSettingPassword(settingPassword === u.id ? null : u.id); }}
                        className="whitespace-nowrap rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                        Set password<span className="sr-only"> for {u.email}</span>
                      </button>
                      <button type="button" disabled={busy === u.id} onClick={() => update(u.id, { active: !u.active })}
                        className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 disabled:opacity-50">
                        {u.active ? "Deactivate" : "Reactivate"}<span className="sr-only"> {u.email}</span>
                      </button>
                    </div>
                  )}
                </td>
              </tr>
              {settingPassword === u.id && (
                <tr>
                  <td colSpan={5} className="bg-slate-50 px-4">
                    <SetPasswordForm user={u} onDone={(message) => { setSettingPassword(null); setNotice(message || null); }} />
                  </td>
                </tr>
              )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
