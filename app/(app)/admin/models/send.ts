/** JSON requests from the Admin › Models client components; a failure becomes the server's message. */
export async function send<T>(url: string, method: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; message: string }> {
  try {
    const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const data = (await res.json().catch(() => ({}))) as T & { message?: string };
    return res.ok ? { ok: true, data } : { ok: false, message: data.message ?? `Request failed (${res.status}).` };
  } catch {
    return { ok: false, message: "Could not reach the server. Check your connection and try again." };
  }
}
