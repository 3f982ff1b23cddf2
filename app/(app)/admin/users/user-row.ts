/** A user as the admin's user table shows it, and the one call the table and its forms make. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: "agent" | "reviewer" | "admin";
  active: boolean;
  createdAt: string;
}

/** JSON to the users API; a failure becomes its message. `T`: what a success carries (default: the user). */
export async function sendUser<T = { user: UserRow }>(url: string, method: string, body: unknown): Promise<Partial<T> & { message?: string }> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => ({}))) as Partial<T> & { message?: string };
  return res.ok ? data : ({ message: data.message ?? `Request failed (${res.status}).` } as Partial<T> & { message?: string });
}

export type SendUser = typeof sendUser;
