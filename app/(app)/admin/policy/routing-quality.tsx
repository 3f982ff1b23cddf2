import type { RoutingQuality } from "@/db/queries/routing-labels";

const share = (n: number | null) => (n === null ? "—" : n.toFixed(2));

/** How routing did by people's word: reviewers' "did not need review" and agents' "should have been reviewed". */
export function RoutingQualityCard({ quality }: { quality: RoutingQuality }) {
  return (
    <section aria-labelledby="quality-heading" className="h-fit rounded-lg border border-slate-200 bg-white p-5" data-testid="routing-quality">
      <h2 id="quality-heading" className="text-lg font-semibold">Routing quality</h2>
      <p className="mt-1 text-xs text-slate-500">Last {quality.days} days, from {quality.labelled} labelled answer{quality.labelled === 1 ? "" : "s"}: reviewers&apos; decisions and agents&apos; reports.</p>
      <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
        <dt className="text-slate-600">Precision</dt>
        <dd className="text-right font-medium" data-testid="routing-precision">{share(quality.precision)}</dd>
        <dt className="text-slate-600">Recall</dt>
        <dd className="text-right font-medium" data-testid="routing-recall">{share(quality.recall)}</dd>
        <dt className="text-slate-600">Held, needed it</dt>
        <dd className="text-right">{quality.truePositives}</dd>
        <dt className="text-slate-600">Held, did not need it</dt>
        <dd className="text-right" data-testid="routing-false-holds">{quality.falsePositives}</dd>
        <dt className="text-slate-600">Released, should have been held</dt>
        <dd className="text-right" data-testid="routing-missed">{quality.falseNegatives}</dd>
      </dl>
    </section>
  );
}
