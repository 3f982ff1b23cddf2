import { formatMetric, HEADLINES, metricLabel } from "@/lib/eval/views";
import type { EvalRun } from "@/db/queries/evaluation";

/** Headline metrics first, then the rest; with an earlier run, its figure and the change. */
export function MetricsTable({ kind, metrics, other, otherLabel }: { kind: EvalRun["kind"]; metrics: Record<string, number>; other?: Record<string, number>; otherLabel?: string }) {
  const headline = HEADLINES[kind].map((h) => h.key);
  const keys = [...headline.filter((k) => k in metrics), ...Object.keys(metrics).filter((k) => !headline.includes(k)).sort()];
  return (
    <table aria-label="Metrics" className="mt-4 w-full max-w-3xl rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="text-slate-500">
        <tr><th className="px-3 py-1.5 font-medium">Metric</th><th className="font-medium">This run</th>{other && <><th className="font-medium">{otherLabel}</th><th className="font-medium">Change</th></>}</tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const delta = other && other[key] !== undefined ? metrics[key]! - other[key]! : undefined;
          return (
            <tr key={key} className="border-t border-slate-100">
              <td className="px-3 py-1">{metricLabel(kind, key)}</td>
              <td className="font-mono">{formatMetric(key, metrics[key])}</td>
              {other && (
                <>
                  <td className="font-mono">{formatMetric(key, other[key])}</td>
                  <td className={`font-mono ${delta === undefined || Math.abs(delta) < 1e-9 ? "text-slate-500" : delta > 0 ? "text-emerald-700" : "text-red-700"}`}>{delta === undefined ? "—" : `${delta > 0 ? "+" : ""}${formatMetric(key, delta)}`}</td>
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
