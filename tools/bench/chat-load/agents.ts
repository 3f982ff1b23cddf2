/** Signed-in agents asking questions over the chat API as the browser does, each turn timed. */
import { readChatEvents } from "@/app/(app)/chat/_ui/stream";

export interface Session {
  baseUrl: string;
  cookie: string;
}

/** Signs in through next-auth's credentials callback, as the sign-in page does. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
    redirect: "manual",
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in of ${email} failed (${res.status})`);
  return { baseUrl, cookie: cookie() };
}

export async function createAgent(admin: Session, email: string, password: string): Promise<void> {
  const res = await fetch(`${admin.baseUrl}/api/admin/users`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: admin.cookie },
    body: JSON.stringify({ email, name: email.split("@")[0], role: "agent", password }),
  });
  if (!res.ok && res.status !== 409) throw new Error(`creating ${email}: ${res.status} ${await res.text()}`);
}

export interface TurnResult {
  ok: boolean;
  /** From the request to the first answer text the agent can read (null: none came). */
  firstTextMs: number | null;
  totalMs: number;
  status: string;
  waitedInLine: boolean;
  quotedBecauseBusy: boolean;
  error?: string;
}

/** One question in a new conversation, read to its end. */
export async function ask(session: Session, question: string): Promise<TurnResult> {
  const started = performance.now();
  const result: TurnResult = { ok: false, firstTextMs: null, totalMs: 0, status: "none", waitedInLine: false, quotedBecauseBusy: false };
  try {
    const res = await fetch(`${session.baseUrl}/api/chat`, { method: "POST", headers: { "content-type": "application/json", cookie: session.cookie }, body: JSON.stringify({ message: question }) });
    if (!res.ok) return { ...result, totalMs: performance.now() - started, error: `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}` };
    for await (const event of readChatEvents(res) as AsyncGenerator<Record<string, unknown>>) {
      if (event.type === "token" && result.firstTextMs === null) result.firstTextMs = performance.now() - started;
      if (event.type === "queue") result.waitedInLine = true;
      if (event.type === "notice" && /busy/.test(String(event.message))) result.quotedBecauseBusy = true;
      if (event.type === "error") result.error = String(event.message);
      if (event.type === "done") result.status = String((event.message as { status?: string }).status);
    }
  } catch (error) {
    result.error = (error as Error).message;
  }
  result.totalMs = performance.now() - started;
  // Held answers show no text by design: they count as served when the turn ended cleanly.
  result.ok = !result.error && ["complete", "held", "refused"].includes(result.status);
  return result;
}
