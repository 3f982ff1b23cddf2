import { HEADLINES, KIND_LABELS, type RunSummary } from "@/lib/eval/views";

const COLOURS = ["#4f46e5", "#059669", "#d97706", "#db2777", "#0891b2"];
const W = 520;
const H = 160;
const PAD = { left: 34, right: 12, top: 10, bottom: 22 };

/**
 * Each metric over time, one chart per kind of run and question set, oldest run on the left:
 * a change that made things worse shows as a drop. Server-rendered SVG, with the figures as text.
 */
export function MetricChart({ runs }: { runs: RunSummary[] }) {
  const groups = new Map<string, RunSummary[]>();
  for (const run of [...runs].reverse()) {
    if (run.status !== "done" || !run.metrics) continue;
    const key = `${run.kind}:${run.setId ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  if (groups.size === 0) return null;
  return (
    <section aria-label="Metrics over time" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">Over time</h2>
      <div className="mt-3 grid gap-4 lg:grid-cols-2">
        {[...groups.values()].map((group) => <Chart key={`${group[0]!.kind}:${group[0]!.setId}`} runs={group} />)}
      </div>
    </section>
  );
}

function Chart({ runs }: { runs: RunSummary[] }) {
  const kind = runs[0]!.kind;
  const lines = HEADLINES[kind].slice(0, 3);
  const x = (i: number) => PAD.left + (runs.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (runs.length - 1));
  const y = (v: number) => PAD.top + (1 - Math.max(0, Math.min(1, v))) * (H - PAD.top - PAD.bottom);
  const title = `${KIND_LABELS[kind]} · ${runs.length} run${runs.length === 1 ? "" : "s"}`;
  return (
    <figure aria-label={`${KIND_LABELS[kind]} over time`} data-runs={runs.length} className="text-xs">
      <figcaption className="mb-1 font-medium text-slate-700">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label={`${lines.map((l) => l.label).join(", ")} over ${runs.length} runs`}>
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(v) + 3} textAnchor="end" fill="#64748b" fontSize="10">{v.toFixed(1)}</text>
          </g>
        ))}
        {runs.map((r, i) => (
          <text key={r.id} x={x(i)} y={H - 6} textAnchor={runs.length < 2 ? "middle" : i === 0 ? "start" : i === runs.length - 1 ? "end" : "middle"} fill="#64748b" fontSize="9">{tick(r, runs)}</text>
        ))}
        {lines.map((line, li) => {
          const points = runs.map((r, i) => ({ x: x(i), y: y(r.metrics?.[line.key] ?? 0), v: r.metrics?.[line.key] }));
          return (
            <g key={line.key} stroke={COLOURS[li]} fill={COLOURS[li]}>
              <polyline points={points.map((p) => `${p.x},${p.y}`).join(" ")} fill="none" strokeWidth="2" />
              {points.map((p, i) => (
                <circle key={i} cx={p.x} cy={p.y} r="3">
                  <title>{`${line.label}: ${p.v === undefined ? "—" : p.v.toFixed(3)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="mt-1 flex flex-wrap gap-3">
        {lines.map((line, li) => (
          <li key={line.key} className="flex items-center gap-1">
            <span className="inline-block h-2 w-3 rounded-sm" style={{ background: COLOURS[li] }} />
            {line.label}: {runs.map((r) => r.metrics?.[line.key]?.toFixed(2) ?? "—").join(" → ")}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The run's day, or its time when every run was on one day. */
function tick(run: RunSummary, runs: RunSummary[]): string {
  const at = new Date(run.createdAt);
  const oneDay = new Set(runs.map((r) => new Date(r.createdAt).toDateString())).size === 1;
  return oneDay ? at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : at.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}
