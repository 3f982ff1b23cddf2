"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { send } from "./send";

export interface ConnectedModel {
  id: string;
  served: string;
  server: string;
  allowed: boolean;
  /** Why it may not run yet (e.g. not approved). */
  message?: string;
}

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const button = "rounded-md border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-50";

/** Admin › Models › Connect a server: list an OpenAI-compatible server's models, add one, and choose what writes answers. */
export function ConnectServer({ connected, answeringId }: { connected: ConnectedModel[]; answeringId: string | null }) {
  const router = useRouter();
  const [baseUrl, setBaseUrl] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [models, setModels] = useState<string[] | null>(null);
  const [form, setForm] = useState({ model: "", kind: "instruct", host: "self-hosted", license: "", commercialUse: true });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setMessage(null);
    await action();
    setBusy(false);
  }
  const list = () =>
    run(async () => {
      const r = await send<Record<string, unknown>>("/api/admin/models/connect/probe", "POST", { baseUrl, ...(apiKey ? { apiKey } : {}) });
      if (!r.ok) return setMessage({ ok: false, text: r.message });
      const found = r.data.models as string[];
      setModels(found);
      setForm((f) => ({ ...f, model: found[0] ?? "" }));
    });
  const add = () =>
    run(async () => {
      const r = await send<Record<string, unknown>>("/api/admin/models/connect", "POST", { baseUrl, ...(apiKey ? { apiKey } : {}), ...form });
      if (!r.ok) return setMessage({ ok: false, text: r.message });
      const then = form.kind === "embedding" ? "switch to it under Embedding model" : "use it for answers";
      setMessage({ ok: true, text: `Added as "${String(r.data.id)}". Review and approve it below, then ${then}.` });
      setModels(null);
      router.refresh();
    });
  const answerWith = (modelId: string | null) =>
    run(async () => {
      const r = await send("/api/admin/models/answering", "PUT", { modelId });
      setMessage(r.ok ? { ok: true, text: modelId ? `Answers are now written by ${modelId}.` : "Answers follow the settings again." } : { ok: false, text: r.message });
      router.refresh();
    });

  return (
    <section aria-labelledby="connect-heading" className="mb-6 rounded-lg border border-slate-200 bg-white p-5" data-testid="connect-server">
      <h2 id="connect-heading" className="text-lg font-semibold">Connect a model server</h2>
      <p className="text-sm text-slate-600">Any OpenAI-compatible server: Ollama (http://host:11434/v1), vLLM, llama.cpp server, or an embeddings server such as TEI. The model is added to the data folder beside the committed manifest, and runs only once approved and allowed by the policy.</p>
      <div className="mt-3 grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
        <label className="text-sm">Server address<input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="http://gpu-box:11434/v1" className={input} /></label>
        <label className="text-sm">API key (if any)<input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} className={input} /></label>
        <button type="button" onClick={list} disabled={busy || !baseUrl.trim()} className={button}>List models</button>
      </div>
      {models && (
        <div className="mt-3 grid gap-3 sm:grid-cols-3">
          <label className="text-sm">Model<select value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} className={input}>{models.map((m) => <option key={m}>{m}</option>)}</select></label>
          <label className="text-sm">What it is<select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })} className={input}><option value="instruct">Instruct (writes answers)</option><option value="base">Base (continues text)</option><option value="embedding">Embedding (for search)</option></select></label>
          <label className="text-sm">Who runs the server<select value={form.host} onChange={(e) => setForm({ ...form, host: e.target.value })} className={input}><option value="self-hosted">We do (self-hosted)</option><option value="third-party">A third party</option></select></label>
          <label className="text-sm">License (SPDX id)<input value={form.license} onChange={(e) => setForm({ ...form, license: e.target.value })} placeholder="Apache-2.0" className={input} /></label>
          <label className="flex items-center gap-2 text-sm sm:mt-6"><input type="checkbox" checked={form.commercialUse} onChange={(e) => setForm({ ...form, commercialUse: e.target.checked })} />License permits commercial use</label>
          <div className="sm:mt-5"><button type="button" onClick={add} disabled={busy || !form.model || !form.license.trim()} className={button}>Add model</button></div>
        </div>
      )}
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-3 text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>{message.text}</p>}
      {connected.length > 0 && <h3 className="mt-5 text-sm font-medium text-slate-600">Models that can write answers</h3>}
      {connected.length > 0 && (
        <ul className="mt-1 divide-y divide-slate-100 text-sm" aria-label="Models that can write answers">
          {connected.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`connected-${m.id}`}>
              <span><span className="font-medium">{m.served}</span> <span className="text-slate-500">at {m.server}</span>{m.message && <span className="block text-xs text-amber-800">{m.message}</span>}</span>
              {answeringId === m.id ? (
                <span className="flex items-center gap-2"><span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">writes answers</span><button type="button" onClick={() => answerWith(null)} disabled={busy} className="text-xs text-indigo-700 hover:underline">Use the settings instead</button></span>
              ) : (
                <button type="button" onClick={() => answerWith(m.id)} disabled={busy || !m.allowed} className={button}>Use for answers</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
