import type { FileState, ModelCardView } from "@/lib/models/model-cards";
import { ApproveButton } from "./approve-button";
import { EnableButton } from "./enable-button";

const PERMITS: { key: keyof NonNullable<ModelCardView["permits"]>; label: string }[] = [
  { key: "commercialUse", label: "Commercial use" },
  { key: "modification", label: "Modification" },
  { key: "redistributionOfWeights", label: "Redistribution of weights" },
  { key: "redistributionOfDerivatives", label: "Redistribution of derivatives" },
];

const FILE_STATE: Record<FileState, { label: string; style: string }> = {
  ok: { label: "verified", style: "bg-emerald-100 text-emerald-800" },
  missing: { label: "missing", style: "bg-red-100 text-red-800" },
  "size-mismatch": { label: "size mismatch", style: "bg-red-100 text-red-800" },
  "hash-mismatch": { label: "hash mismatch", style: "bg-red-100 text-red-800" },
  unrecorded: { label: "hash not recorded", style: "bg-amber-100 text-amber-800" },
  unreadable: { label: "unreadable", style: "bg-red-100 text-red-800" },
  "not-checked": { label: "not checked (disabled)", style: "bg-slate-100 text-slate-600" },
};

const LOCALITY: Record<ModelCardView["locality"], string> = {
  any: "may run anywhere",
  "on-premises-only": "on premises only",
  remote: "runs at a provider (off premises)",
};

function fileLabel(f: ModelCardView["files"][number]): FileState {
  // A placeholder hash is "not recorded" whether or not the file was hashed.
  return !f.recorded && f.state !== "missing" && f.state !== "not-checked" ? "unrecorded" : f.state;
}

function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

export function DecisionBadge({ card }: { card: Pick<ModelCardView, "enabled" | "decision"> }) {
  if (!card.enabled) return <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">disabled</span>;
  return card.decision.allowed ? (
    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">allowed</span>
  ) : (
    <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800">refused</span>
  );
}

/** A model's files in one phrase: how many are verified, or the worst state among them. */
export function filesSummary(card: ModelCardView): { label: string; style: string } {
  if (card.files.length === 0) return { label: "remote", style: "bg-slate-100 text-slate-600" };
  const states = card.files.map(fileLabel);
  const worst = states.find((s) => FILE_STATE[s].style.includes("red")) ?? states.find((s) => s !== "ok") ?? "ok";
  const ok = states.filter((s) => s === "ok").length;
  return worst === "ok" ? { label: `${ok} verified`, style: FILE_STATE.ok.style } : { label: FILE_STATE[worst].label, style: FILE_STATE[worst].style };
}

export function LicenseLink({ card }: { card: ModelCardView }) {
  return card.license ? (
    <a href={card.license.url} target="_blank" rel="noreferrer" className="font-medium text-indigo-700 hover:underline">{card.license.id}</a>
  ) : <span className="font-medium text-red-700">not on record</span>;
}

export function ApprovalText({ card }: { card: ModelCardView }) {
  return (
    <>
      {card.approval ? (
        <>by {card.approval.by}, {when(card.approval.at)} <span className="text-xs text-slate-500">({card.approval.source === "admin" ? "in Admin › Models" : "in the manifest"})</span></>
      ) : <span className="font-medium text-amber-700">not approved</span>}
      {card.staleApproval && (
        <span className="block text-xs text-amber-700">An approval by {card.staleApproval.by} ({when(card.staleApproval.at)}) was for an earlier version of this entry.</span>
      )}
    </>
  );
}

/** Everything about one model beyond its row: the decision's problems, license terms, files, card and actions. */
export function ModelDetails({ card }: { card: ModelCardView }) {
  return (
    <div className="text-sm">
      <p className="text-slate-700">{card.description}</p>
      {card.decision.message && (
        <p role={card.enabled ? "alert" : undefined} data-testid="decision-message"
          className={`mt-3 rounded-md px-3 py-2 ${card.enabled ? "bg-red-50 text-red-800" : "bg-slate-50 text-slate-600"}`}>
          {card.decision.message}
        </p>
      )}
      {card.enabled && card.decision.problems.length > 1 && (
        <details className="mt-2">
          <summary className="cursor-pointer text-slate-600">{card.decision.problems.length - 1} more problem(s)</summary>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
            {card.decision.problems.slice(1).map((p, i) => <li key={i}>{p.message}</li>)}
          </ul>
        </details>
      )}
      {card.role === "generation" && (
        <a href={`/admin/audit/answers?model=${encodeURIComponent(card.served?.name ?? card.id)}`} className="mt-2 inline-block text-indigo-700 hover:underline">Answers this model wrote</a>
      )}
      <dl className="mt-4 grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <dt className="text-slate-500">License</dt>
          <dd>{card.license ? `${card.license.id}${card.license.name ? ` (${card.license.name})` : ""}` : "not on record"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Source</dt>
          <dd className="break-all font-mono text-xs">
            {card.sourceUrl ? <a href={card.sourceUrl} target="_blank" rel="noreferrer" className="text-indigo-700 hover:underline">{card.source}</a> : card.source}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Locality</dt>
          <dd>{LOCALITY[card.locality]}</dd>
        </div>
        {card.served && (
          <div>
            <dt className="text-slate-500">Served as</dt>
            <dd data-testid="served">
              <span className="font-mono text-xs">{card.served.name}</span>{" "}
              <span className="text-xs text-slate-500">({card.served.host === "self-hosted" ? "by the organisation's own server" : "by a third-party service"})</span>
            </dd>
          </div>
        )}
        {card.baseModel && (
          <div>
            <dt className="text-slate-500">Base model</dt>
            <dd className="font-mono text-xs">{card.baseModel}</dd>
          </div>
        )}
      </dl>
      <div className="mt-4">
        <h4 className="text-sm text-slate-500">What the license permits</h4>
        {card.permits ? (
          <ul className="mt-1 flex flex-wrap gap-2 text-xs" aria-label={`What the license of ${card.id} permits`}>
            {PERMITS.map(({ key, label }) => (
              <li key={key} className={`rounded-md px-2 py-1 ${card.permits![key] ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
                <span aria-hidden>{card.permits![key] ? "✓" : "✗"}</span> {label}<span className="sr-only">: {card.permits![key] ? "yes" : "no"}</span>
              </li>
            ))}
          </ul>
        ) : <p className="text-sm text-red-700">Not on record.</p>}
      </div>

      {card.useRestrictions.length > 0 && (
        <div className="mt-4">
          <h4 className="text-sm text-slate-500">Use restrictions</h4>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
            {card.useRestrictions.map((r, i) => (
              <li key={i}>
                {r.text}
                {r.flags.length > 0 && <span className="ml-1 text-xs text-slate-500">[{r.flags.join(", ")}]</span>}
                {r.url && <> <a href={r.url} target="_blank" rel="noreferrer" className="text-indigo-700 hover:underline">terms</a></>}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="mt-4">
        <h4 className="text-sm text-slate-500">Attribution</h4>
        <p className="mt-1 text-sm" data-testid="attribution">{card.attribution ?? <span className="text-slate-500">None required.</span>}</p>
      </div>

      <div className="mt-4 overflow-x-auto">
        <table className="min-w-full text-sm">
          <caption className="sr-only">Files of {card.id}</caption>
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-4 font-normal">File</th>
              <th scope="col" className="py-1 pr-4 font-normal">Recorded sha256</th>
              <th scope="col" className="py-1 pr-4 font-normal">Size</th>
              <th scope="col" className="py-1 font-normal">Verification</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {card.files.map((f) => {
              const state = FILE_STATE[fileLabel(f)];
              return (
                <tr key={f.path} data-testid="model-file">
                  <td className="break-all py-1.5 pr-4 font-mono text-xs">{f.path}</td>
                  <td className="py-1.5 pr-4 font-mono text-xs" title={f.sha256}>{f.recorded ? `${f.sha256.slice(0, 12)}…` : <span className="text-amber-700">not recorded</span>}</td>
                  <td className="whitespace-nowrap py-1.5 pr-4 text-xs">{f.recorded ? formatBytes(f.size) : "—"}</td>
                  <td className="py-1.5">
                    <span className={`whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${state.style}`}>{state.label}</span>
                  </td>
                </tr>
              );
            })}
            {card.files.length === 0 && <tr><td colSpan={4} className="py-1.5 text-slate-500">No local files (remote model).</td></tr>}
          </tbody>
        </table>
      </div>

      <details className="mt-4">
        <summary className="cursor-pointer text-slate-600">Model card</summary>
        <dl className="mt-2 space-y-2">
          <div><dt className="text-slate-500">Intended use</dt><dd>{card.intendedUse}</dd></div>
          {card.limitations.length > 0 && (
            <div><dt className="text-slate-500">Limitations</dt><dd><ul className="list-disc pl-5">{card.limitations.map((l) => <li key={l}>{l}</li>)}</ul></dd></div>
          )}
          {card.lineage && <div><dt className="text-slate-500">Lineage</dt><dd>{card.lineage}</dd></div>}
          {card.notes && <div><dt className="text-slate-500">Notes</dt><dd>{card.notes}</dd></div>}
        </dl>
      </details>

      {card.needsApproval && (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <ApproveButton modelId={card.id} fingerprint={card.fingerprint} />
        </div>
      )}
      {!card.enabled && card.decision.problems.every((p) => p.clause === "disabled") && (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <p className="mb-2 text-sm text-slate-600">It is approved; enable it to use it. Its files are verified first.</p>
          <EnableButton modelId={card.id} />
        </div>
      )}
    </div>
  );
}
