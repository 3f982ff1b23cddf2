/** Flag rate by topic per day, as stacked bars drawn in SVG (no chart library, no network). */
const COLORS = ["#6366f1", "#f59e0b", "#10b981", "#ef4444", "#0ea5e9", "#a855f7", "#64748b"];

export function FlagRateChart({ rows }: { rows: { day: string; topic: string; held: number; answers: number }[] }) {
  if (rows.length === 0) {
    return <section aria-label="Flag rate by topic" className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-500">No answers have been flagged in the last 14 days.</section>;
  }
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const topics = [...new Set(rows.map((r) => r.topic))].sort();
  const rate = (day: string, topic: string) => {
    const r = rows.find((x) => x.day === day && x.topic === topic);
    return r ? r.held / Math.max(1, r.answers) : 0;
  };
  const totals = days.map((d) => topics.reduce((s, t) => s + rate(d, t), 0));
  const max = Math.max(0.05, ...totals);
  const W = 640, H = 160, pad = 28, bw = Math.min(40, (W - pad) / days.length - 6);
  return (
    <section aria-label="Flag rate by topic" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-sm font-semibold">Flag rate by topic (share of answers held, per day)</h2>
      <svg viewBox={`0 0 ${W} ${H + 20}`} className="w-full max-w-3xl" role="img" aria-label="Stacked bars of the share of answers held per day, by topic">
        <line x1={pad} x2={W} y1={H} y2={H} stroke="#cbd5e1" />
        <text x={0} y={12} fontSize={10} fill="#64748b">{Math.round(max * 100)}%</text>
        <text x={0} y={H} fontSize={10} fill="#64748b">0%</text>
        {days.map((day, i) => {
          let y = H;
          return (
            <g key={day}>
              {topics.map((topic, j) => {
                const h = (rate(day, topic) / max) * (H - 10);
                y -= h;
                return h > 0 ? <rect key={topic} x={pad + 6 + i * (bw + 6)} y={y} width={bw} height={h} fill={COLORS[j % COLORS.length]}><title>{`${day} · ${topic}: ${Math.round(rate(day, topic) * 100)}%`}</title></rect> : null;
              })}
              <text x={pad + 6 + i * (bw + 6) + bw / 2} y={H + 14} fontSize={9} textAnchor="middle" fill="#64748b">{day.slice(5)}</text>
            </g>
          );
        })}
      </svg>
      <ul className="mt-2 flex flex-wrap gap-3 text-xs">
        {topics.map((t, j) => <li key={t} className="flex items-center gap-1"><span className="inline-block size-3 rounded-sm" style={{ background: COLORS[j % COLORS.length] }} />{t}</li>)}
      </ul>
    </section>
  );
}
