"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { wordChanges } from "@/lib/review/diff";
import { QueueKeys } from "../queue-keys";

interface Props {
  item: { id: string; status: string; draft: string; finalText: string | null; note: string | null; diff: string | null };
  me: string;
  lock: { holderId: string | null; holderName: string | null; until: string | null };
  decidedBy: string | null;
  pendingIds: string[];
  /** Why this reviewer may not act on the item (they asked it), or null. */
  ownQuestion: string | null;
}

export function ReviewActions({ item, me, lock, decidedBy, pendingIds, ownQuestion }: Props) {
  const router = useRouter();
  const [mode, setMode] = useState<"view" | "edit" | "reject">("view");
  const [text, setText] = useState(item.draft);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The reviewer's word on routing, sent with the decision: a hold that a person did not need to see.
  const [notNeeded, setNotNeeded] = useState(false);
  const mine = lock.holderId === me;
  const pending = item.status === "pending";

  const call = useCallback(async (url: string, method: string, body?: unknown) => {
    setBusy(true);
    setMessage(null);
    const res = await fetch(url, { method, headers: body ? { "content-type": "application/json" } : undefined, body: body ? JSON.stringify(body) : undefined });
    setBusy(false);
    if (!res.ok) {
      setMessage((await res.json().catch(() => ({}))).message ?? `That did not work (${res.status}).`);
      router.refresh();
      return false;
    }
    return true;
  }, [router]);

  const nextOrQueue = useCallback(() => {
    const next = pendingIds.find((id) => id !== item.id);
    router.push(next ? `/review/${next}` : "/review");
    router.refresh();
  }, [pendingIds, item.id, router]);

  const decide = useCallback(async (body: object) => {
    if (await call(`/api/review/${item.id}/decision`, "POST", { ...body, neededReview: !notNeeded })) nextOrQueue();
  }, [call, item.id, nextOrQueue, notNeeded]);

  const approve = useCallback(() => { if (mine && pending && !busy) void decide({ kind: "approve" }); }, [mine, pending, busy, decide]);
  const reject = useCallback(() => { if (mine && pending) setMode("reject"); }, [mine, pending]);

  return (
    <section aria-label="Draft answer" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <QueueKeys ids={pendingIds} current={item.id} onApprove={approve} onReject={reject} />
      <div className="flex items-center justify-between gap-2">
        <h2 className="font-semibold">{pending ? "Draft answer" : `Decision: ${item.status}${decidedBy ? ` by ${decidedBy}` : ""}`}</h2>
        {pending && (
          <span data-testid="lock-state" className="text-xs text-slate-500">
            {mine ? `Claimed by you until ${lock.until?.slice(11, 16)} UTC` : lock.holderId ? `${lock.holderName ?? "Another reviewer"} is reviewing this (until ${lock.until?.slice(11, 16)} UTC)` : "Not claimed"}
          </span>
        )}
      </div>
      {mode === "edit" ? (
        <>
          <textarea aria-label="Edited answer" value={text} onChange={(e) => setText(e.target.value)} rows={8} className="w-full rounded-md border border-slate-300 p-2 text-sm" />
          <div aria-label="Changes" data-testid="edit-diff" className="rounded-md bg-slate-50 p-2 text-sm leading-relaxed">
            {wordChanges(item.draft, text).map((c, i) =>
              c.kind === "same" ? <span key={i}>{c.text}</span> : c.kind === "added" ? <ins key={i} className="bg-emerald-100 no-underline">{c.text}</ins> : <del key={i} className="bg-red-100">{c.text}</del>,
            )}
          </div>
        </>
      ) : (
        <div data-testid="draft-text" className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-sm">{item.finalText ?? item.draft}</div>
      )}
      {item.diff && !pending && <details className="text-xs"><summary className="cursor-pointer text-slate-600">Reviewer&apos;s edit (diff)</summary><pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-slate-100">{item.diff}</pre></details>}
      {item.note && <p className="text-sm text-red-800">Rejection note: {item.note}</p>}
      {mode === "reject" && (
        <label className="block text-sm">Note for the agent (required)
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} className="mt-1 w-full rounded-md border border-slate-300 p-2" autoFocus />
        </label>
      )}
      {message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{message}</p>}
      {pending && mine && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={notNeeded} onChange={(e) => setNotNeeded(e.target.checked)} />
          Did not need review (routine: routing held it by mistake)
        </label>
      )}
      {pending && ownQuestion && <p data-testid="own-question" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">{ownQuestion}</p>}
      {pending && !ownQuestion && (
        <div className="flex flex-wrap gap-2">
          {!mine ? (
            <button type="button" disabled={busy || (!!lock.holderId && lock.holderId !== me)} onClick={async () => { if (await call(`/api/review/${item.id}/claim`, "POST")) router.refresh(); }}
              className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">Claim</button>
          ) : mode === "view" ? (
            <>
              <button type="button" disabled={busy} onClick={approve} className="rounded-md bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-500">Approve <kbd className="ml-1 text-xs opacity-70">a</kbd></button>
              <button type="button" disabled={busy} onClick={() => setMode("edit")} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">Edit</button>
              <button type="button" disabled={busy} onClick={reject} className="rounded-md border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50">Reject <kbd className="ml-1 text-xs opacity-70">r</kbd></button>
              <button type="button" disabled={busy} onClick={async () => { if (await call(`/api/review/${item.id}/claim`, "DELETE")) router.refresh(); }} className="ml-auto text-sm text-slate-500 hover:underline">Release claim</button>
            </>
          ) : mode === "edit" ? (
            <>
              <button type="button" disabled={busy || !text.trim()} onClick={() => decide({ kind: "edit", text })} className="rounded-md bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-500">Approve with edits</button>
              <button type="button" onClick={() => { setMode("view"); setText(item.draft); }} className="rounded-md border border-slate-300 px-4 py-2 text-sm">Cancel</button>
            </>
          ) : (
            <>
              <button type="button" disabled={busy || !note.trim()} onClick={() => decide({ kind: "reject", note })} className="rounded-md bg-red-600 px-4 py-2 text-sm font-medium text-white hover:bg-red-500">Reject</button>
              <button type="button" onClick={() => setMode("view")} className="rounded-md border border-slate-300 px-4 py-2 text-sm">Cancel</button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
