/** Sends JSON to an admin API; resolves to the server's message on failure, null on success. */
export async function sendJson(path: string, method: string, body?: unknown): Promise<string | null> {
  try {
    const res = await fetch(path, { method, headers: body === undefined ? undefined : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.ok) return null;
    return ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `The server answered ${res.status}.`;
  } catch {
    return "Could not reach the server. Check your connection and try again.";
  }
}
