"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { CatalogueItem } from "@/lib/models/catalogue";
import type { PullJobView } from "@/lib/models/pull-jobs";
import { formatBytes, PullProgress } from "./pull-progress";
import { RecordedHashesBox } from "./recorded-hashes";
import { send } from "./send";

const button = "rounded-md border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-50";
const active = (p: PullJobView | undefined) => p?.state === "running" || p?.state === "verifying";
const byId = (pulls: PullJobView[]) => Object.fromEntries(pulls.map((p) => [p.modelId, p]));

/** Admin › Models › From the catalogue: pull a manifest model that is not installed, with live progress. */
export function Catalogue({ items, from, initialPulls }: { items: CatalogueItem[]; from: string; initialPulls: PullJobView[] }) {
  const router = useRouter();
  const [pulls, setPulls] = useState<Record<string, PullJobView>>(() => byId(initialPulls));
  const [message, setMessage] = useState<string | null>(null);
  const [ended, setEnded] = useState<string[]>([]);
  const running = Object.values(pulls).some(active);
  const wasRunning = useRef(new Set(initialPulls.filter(active).map((p) => p.modelId)));

  // Poll while a pull runs; when one ends, the page is rendered again (installed models move to the cards below).
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      const res = await fetch("/api/admin/models/pull", { cache: "no-store" }).catch(() => undefined);
      if (!res?.ok) return;
      const next = byId(((await res.json()) as { pulls: PullJobView[] }).pulls);
      const stopped = [...wasRunning.current].filter((id) => !active(next[id]));
      wasRunning.current = new Set(Object.values(next).filter(active).map((p) => p.modelId));
      setPulls(next);
      if (stopped.length === 0) return;
      setEnded((e) => [...e, ...stopped]);
      router.refresh();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, router]);

  async function act(modelId: string, url: string) {
    setMessage(null);
    const r = await send<PullJobView>(url, "POST", { modelId });
    if (!r.ok) return setMessage(r.message);
    // A cancelled pull shows as such at the next poll, once it has stopped.
    if (url.endsWith("/pull")) {
      wasRunning.current.add(modelId);
      setPulls((p) => ({ ...p, [modelId]: r.data }));
    }
  }

  const finished = ended.filter((id, i) => ended.indexOf(id) === i && pulls[id]?.state === "done" && !items.some((item) => item.id === id));
  return (
    <section aria-labelledby="catalogue-heading" className="mb-6 rounded-lg border border-slate-200 bg-white p-5" data-testid="catalogue">
      <h2 id="catalogue-heading" className="text-lg font-semibold">From the catalogue</h2>
      <p className="text-sm text-slate-600">
        Models listed in the manifest that are not installed yet, downloaded from {from}. Every file is checked against the sha256 the manifest pins; where it pins none, the hash is recorded for your approval. A stopped download continues where it stopped.
      </p>
      {message && <p role="alert" className="mt-3 text-sm text-red-700">{message}</p>}
      <ul className="mt-3 divide-y divide-slate-100" aria-label="Catalogue models">
        {items.map((item) => {
          const pull = pulls[item.id];
          const resumable = item.staged > 0 || ((pull?.state === "failed" || pull?.state === "cancelled") && pull.received > 0);
          return (
            <li key={item.id} className="py-3 text-sm" data-testid={`catalogue-${item.id}`}>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div>
                  <span className="font-medium">{item.name}</span> <span className="font-mono text-xs text-slate-500">{item.id}</span>
                  <p className="text-xs text-slate-600">
                    <span className="capitalize">{item.role}</span> · {item.size > 0 ? formatBytes(item.size) : "size not recorded"} · {item.license ?? "license not on record"} ·{" "}
                    {item.pinned ? "hashes pinned in the manifest" : "hashes not pinned: recorded at download for your approval"}
                    {item.staged > 0 && !pull && ` · ${formatBytes(item.staged)} already downloaded`}
                  </p>
                </div>
                {active(pull) ? (
                  <button type="button" onClick={() => act(item.id, "/api/admin/models/pull/cancel")} className={button}>Cancel<span className="sr-only"> download of {item.id}</span></button>
                ) : !item.recorded && (
                  <button type="button" onClick={() => act(item.id, "/api/admin/models/pull")} className={button}>{resumable ? "Resume" : "Download"}<span className="sr-only"> {item.id}</span></button>
                )}
              </div>
              {pull && <PullProgress pull={pull} />}
              {item.recorded && <RecordedHashesBox modelId={item.id} recorded={item.recorded} />}
            </li>
          );
        })}
        {items.length === 0 && <li className="py-3 text-sm text-slate-500">Every model of the catalogue is installed.</li>}
      </ul>
      {finished.map((id) => (
        <p key={id} role="status" className="mt-2 text-sm text-emerald-700">{id} was downloaded and verified. Review and approve it under Other models in the manifest.</p>
      ))}
    </section>
  );
}
