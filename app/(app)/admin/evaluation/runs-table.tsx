import Link from "next/link";
import { formatMetric, HEADLINES, KIND_LABELS, type RunSummary } from "@/lib/eval/views";

/** Every run of the knowledge base, newest first, with its progress while it works. */
export function RunsTable({ runs, sets }: { runs: RunSummary[]; sets: Record<string, string> }) {
  return (
    <section aria-label="Runs" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">Runs</h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No runs yet.</p>
      ) : (
        <table className="mt-3 w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr><th className="py-1 font-medium">Started</th><th className="font-medium">Kind</th><th className="font-medium">Set</th><th className="font-medium">Result</th><th className="font-medium">By</th></tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top">
                <td className="py-1.5"><Link href={`/admin/evaluation/runs/${r.id}`} className="text-indigo-700 hover:underline">{new Date(r.createdAt).toLocaleString()}</Link></td>
                <td>{KIND_LABELS[r.kind]}{r.trigger !== "admin" && <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-600">{r.trigger}</span>}</td>
                <td>{r.setId ? `${sets[r.setId] ?? "deleted set"} v${r.setVersion}` : r.kind === "red-team" ? "built-in + yours" : "—"}</td>
                <td><Outcome run={r} /></td>
                <td className="text-slate-600">{r.startedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Outcome({ run }: { run: RunSummary }) {
  if (run.status === "running") {
    const share = run.total ? run.done / run.total : 0;
    return (
      <div className="w-48">
        <div role="progressbar" aria-label="Run progress" aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={run.done} className="h-2 rounded bg-slate-100">
          <div className="h-2 rounded bg-indigo-500" style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
        <span className="text-xs text-slate-500">{run.done} of {run.total}</span>
      </div>
    );
  }
  if (run.status === "failed") return <span className="text-amber-800">Failed: {run.error}</span>;
  return <span>{HEADLINES[run.kind].slice(0, 2).map((h) => `${h.label} ${formatMetric(h.key, run.metrics?.[h.key])}`).join(" · ")}</span>;
}
