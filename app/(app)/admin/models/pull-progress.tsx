import type { PullJobView } from "@/lib/models/pull-jobs";

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function describe(pull: PullJobView): string {
  const of = pull.total > 0 ? `${formatBytes(pull.received)} of ${formatBytes(pull.total)}` : `${formatBytes(pull.received)}`;
  switch (pull.state) {
    case "running":
      return [of, pull.rate > 0 ? `${formatBytes(pull.rate)}/s` : "starting…", pull.secondsLeft !== null ? `${formatDuration(pull.secondsLeft)} left` : ""].filter(Boolean).join(" · ");
    case "verifying":
      return `${of} · verifying…`;
    case "done":
      return `${of} · downloaded and verified.`;
    case "awaiting-approval":
      return `${of} · downloaded; its recorded hashes wait for your approval.`;
    case "cancelled":
      return `Cancelled at ${of}; what was received is kept, so Resume continues from there.`;
    case "failed":
      return `Failed at ${of}.`;
  }
}

/** A pull's progress bar with bytes, rate and time left. */
export function PullProgress({ pull }: { pull: PullJobView }) {
  const percent = pull.total > 0 ? Math.min(100, (pull.received / pull.total) * 100) : 0;
  const bar = pull.state === "failed" ? "bg-red-500" : pull.state === "cancelled" ? "bg-slate-400" : pull.state === "running" || pull.state === "verifying" ? "bg-indigo-600" : "bg-emerald-600";
  return (
    <div className="mt-2">
      <div role="progressbar" aria-label={`Download of ${pull.modelId}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
        <div className={`h-full ${bar} transition-[width]`} style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-600" data-testid="pull-status">{describe(pull)}</p>
      {pull.reason && <p role="alert" className="mt-1 text-xs text-red-700">{pull.reason}</p>}
    </div>
  );
}
