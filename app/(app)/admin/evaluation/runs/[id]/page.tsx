import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { getEvalRun, getEvalSet, listEvalRuns } from "@/db/queries/evaluation";
import { REVIEW_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { contextRows, KIND_LABELS } from "@/lib/eval/views";
import { idSchema } from "@/lib/kb/schemas";
import { RunDetails } from "./run-details";
import { MetricsTable } from "./metrics-table";

export const metadata: Metadata = { title: "Evaluation run" };

/** One run: its metrics (beside any earlier run's), what it ran against, and what it missed. */
export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ compare?: string }> }) {
  await connection();
  const user = await requirePageUser(REVIEW_ROLES);
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  const run = await getEvalRun(db, { id: id.data });
  if (!run) notFound();
  const compareId = idSchema.safeParse((await searchParams).compare);
  const [set, earlier, other] = await Promise.all([
    run.setId ? getEvalSet(db, { id: run.setId }) : undefined,
    listEvalRuns(db, { kbId: run.kbId ?? undefined, kind: run.kind, status: "done", limit: 50 }),
    compareId.success ? getEvalRun(db, { id: compareId.data }) : undefined,
  ]);
  const choices = earlier.filter((r) => r.id !== run.id && r.setId === run.setId);
  const context = run.context as Record<string, unknown>;
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">{user.role === "admin" ? "Administration" : "Evaluation"}</h1>
      {user.role === "admin" && <AdminTabs />}
      {run.status === "running" && <AutoRefresh everyMs={1500} />}
      <p className="mb-2 text-sm"><Link href="/admin/evaluation" className="text-indigo-700 hover:underline">← Evaluation</Link></p>
      <h2 className="text-xl font-semibold">{KIND_LABELS[run.kind]} run · {run.createdAt.toLocaleString()}</h2>
      <p className="mt-1 text-sm text-slate-600">
        {set ? `Set ${set.name} v${run.setVersion}` : run.kind === "red-team" ? "Built-in suite and the knowledge base's red-team sets" : "Set deleted"} · started by {run.startedBy} ({run.trigger}) ·{" "}
        {run.status === "running" ? `running: ${run.done} of ${run.total}` : run.status === "failed" ? `failed: ${run.error}` : `finished ${run.finishedAt?.toLocaleString()}`}
      </p>
      <dl aria-label="Ran against" className="mt-3 grid gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-3">
        {contextRows(context).map((row) => (
          <div key={row.label}>
            <dt className="text-slate-500">{row.label}</dt>
            <dd className="break-words">{row.value}</dd>
          </div>
        ))}
      </dl>
      {run.metrics && (
        <>
          <form method="get" className="mt-4 flex items-end gap-2 text-sm" aria-label="Compare with an earlier run">
            <label>Compare with
              <select name="compare" defaultValue={other?.id ?? ""} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5">
                <option value="">—</option>
                {choices.map((r) => <option key={r.id} value={r.id}>{r.createdAt.toLocaleString()} ({r.trigger})</option>)}
              </select>
            </label>
            <button className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">Compare</button>
          </form>
          <MetricsTable kind={run.kind} metrics={run.metrics} other={other?.metrics ?? undefined} otherLabel={other ? other.createdAt.toLocaleString() : undefined} />
          <RunDetails kind={run.kind} details={run.details ?? {}} metrics={run.metrics} />
        </>
      )}
    </main>
  );
}
