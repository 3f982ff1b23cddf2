/** A user as the admin's user table shows it, and the one call the table and the form make. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: "agent" | "reviewer" | "admin";
  active: boolean;
  createdAt: string;
}

export type SendUser = (url: string, method: string, body: unknown) => Promise<{ user?: UserRow; message?: string }>;

/** JSON to the users API; a failure becomes its message. */
export const sendUser: SendUser = async (url, method, body) => {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => ({}))) as { user?: UserRow; message?: string };
  return res.ok ? data : { message: data.message ?? `Request failed (${res.status}).` };
};
