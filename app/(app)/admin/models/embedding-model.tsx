"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { EmbeddingSwitch } from "@/lib/models/embedding-switch";
import type { EmbeddingView } from "@/lib/models/embedding-switch-service";
import { send } from "./send";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const button = "rounded-md border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-50";

/** Admin › Models › Embedding model: switch it, re-embedding every knowledge base in the background. */
export function EmbeddingModel({ initial }: { initial: EmbeddingView }) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  const others = view.candidates.filter((c) => !c.active);
  const [chosen, setChosen] = useState(others.find((c) => !c.refusal)?.id ?? others[0]?.id ?? "");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const running = view.switch?.state === "running";
  const active = view.candidates.find((c) => c.active);
  const pick = others.find((c) => c.id === chosen);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      const res = await fetch("/api/admin/models/embedding").catch(() => undefined);
      if (!res?.ok) return;
      const next = (await res.json()) as EmbeddingView;
      setView(next);
      if (next.switch?.state !== "running") router.refresh();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, router]);

  async function call(url: string, body: unknown) {
    setMessage(null);
    const r = await send<EmbeddingSwitch>(url, "POST", body);
    if (!r.ok) return setMessage({ ok: false, text: r.message });
    const res = await fetch("/api/admin/models/embedding");
    if (res.ok) setView((await res.json()) as EmbeddingView);
  }

  return (
    <section aria-labelledby="embedding-heading" className="mb-6 rounded-lg border border-slate-200 bg-white p-5" data-testid="embedding-model">
      <h2 id="embedding-heading" className="text-lg font-semibold">Embedding model</h2>
      <p className="text-sm text-slate-600">
        {active ? <>The knowledge bases are searched with <span className="font-medium">{active.name}</span> ({active.runs}).</> : "The embedding model in use is not in the manifest."}{" "}
        Switching embeds every knowledge base again with the new model in the background; searches keep using the current one until that is complete.
      </p>
      {others.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No other embedding model is enabled. Download one from the catalogue or connect a server that serves one.</p>
      ) : (
        <div className="mt-3 grid gap-3 sm:grid-cols-[2fr_auto] sm:items-end">
          <label className="text-sm">Switch to<select value={chosen} onChange={(e) => setChosen(e.target.value)} disabled={running} className={input}>
            {others.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.runs}){c.refusal ? " — refused" : ""}</option>)}
          </select></label>
          <button type="button" onClick={() => call("/api/admin/models/embedding", { modelId: chosen })} disabled={running || !pick || Boolean(pick.refusal)} className={button}>Re-embed and switch</button>
        </div>
      )}
      {pick?.refusal && !running && <p className="mt-2 text-xs text-amber-800">{pick.refusal}</p>}
      {view.switch && <SwitchProgress job={view.switch} onCancel={() => call("/api/admin/models/embedding/cancel", {})} />}
      {message && <p role={message.ok ? "status" : "alert"} className={`mt-3 text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>{message.text}</p>}
    </section>
  );
}

function SwitchProgress({ job, onCancel }: { job: EmbeddingSwitch; onCancel: () => void }) {
  const { documents, total, chunks, missing } = job.progress;
  const percent = total > 0 ? Math.min(100, (documents / total) * 100) : job.state === "done" ? 100 : 0;
  const bar = job.state === "failed" ? "bg-red-500" : job.state === "cancelled" ? "bg-slate-400" : job.state === "running" ? "bg-indigo-600" : "bg-emerald-600";
  return (
    <div className="mt-3" data-testid="embedding-switch">
      <div role="progressbar" aria-label={`Re-embedding with ${job.modelId}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)} className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
        <div className={`h-full ${bar} transition-[width]`} style={{ width: `${percent}%` }} />
      </div>
      <div className="mt-1 flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-600" data-testid="embedding-switch-status">{describe(job, documents, total, chunks, missing)}</p>
        {job.state === "running" && <button type="button" onClick={onCancel} className="text-xs text-indigo-700 hover:underline">Cancel</button>}
      </div>
      {job.error && <p role="alert" className="mt-1 text-xs text-red-700">{job.error}</p>}
    </div>
  );
}

function describe(job: EmbeddingSwitch, documents: number, total: number, chunks: number, missing: number): string {
  const counts = `${documents} of ${total} documents (${chunks} passages embedded)`;
  const lacking = missing > 0 ? ` ${missing} document(s) had no passages to copy and will be ingested again.` : "";
  switch (job.state) {
    case "running":
      return `Embedding with ${job.modelId}: ${counts}${timeLeft(job, documents, total)}. Searches use ${job.from} until this is complete.`;
    case "done":
      return `Switched to ${job.modelId}: ${counts}.${lacking}`;
    case "cancelled":
      return `Cancelled at ${counts}; ${job.from} still embeds. Starting again resumes where it stopped.`;
    case "failed":
      // Every document embedded, then refused (an evaluation gate) or failed while activating.
      if (total > 0 && documents >= total) return `Not switched: ${job.from} still embeds. The new model's table is kept; starting again checks it again.`;
      return `Failed at ${counts}; ${job.from} still embeds. Starting again resumes where it stopped.`;
  }
}

function timeLeft(job: EmbeddingSwitch, documents: number, total: number): string {
  const seconds = (Date.now() - Date.parse(job.startedAt)) / 1000;
  if (documents === 0 || seconds < 2) return "";
  const left = Math.round(((total - documents) * seconds) / documents);
  return ` · about ${left < 60 ? `${left} s` : `${Math.round(left / 60)} min`} left`;
}
