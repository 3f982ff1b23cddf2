"use client";

import { useState } from "react";
import type { ModelCardView } from "@/lib/models/model-cards";
import { ApprovalText, DecisionBadge, filesSummary, LicenseLink, ModelDetails } from "./model-card";

/** Every model in the manifest, one row each; a row opens to its license terms, files and actions. */
export function ModelsTable({ cards }: { cards: ModelCardView[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => setOpen((was) => {
    const next = new Set(was);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Models in the manifest</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Model</th>
            <th scope="col" className="px-3 py-2 font-medium">Role</th>
            <th scope="col" className="px-3 py-2 font-medium">License</th>
            <th scope="col" className="px-3 py-2 font-medium">State</th>
            <th scope="col" className="px-3 py-2 font-medium">Approval</th>
            <th scope="col" className="px-3 py-2 font-medium">Files</th>
            <th scope="col" className="px-3 py-2"><span className="sr-only">Details</span></th>
          </tr>
        </thead>
        {cards.map((card) => {
          const expanded = open.has(card.id);
          const files = filesSummary(card);
          // Enabled but refused, or enabled and waiting for approval: the rows an admin must act on.
          const needsAction = card.enabled && (card.needsApproval || !card.decision.allowed);
          return (
            <tbody key={card.id} data-testid={`model-card-${card.id}`} className="border-t border-slate-200">
                <tr className={needsAction ? "bg-amber-50/40" : undefined}>
                  <th scope="row" className="px-3 py-2 text-left font-normal">
                    <span className="block font-semibold">{card.name}</span>
                    <span className="block font-mono text-xs text-slate-500">{card.id}</span>
                  </th>
                  <td className="px-3 py-2"><span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">{card.role}</span> <span className="text-xs text-slate-500">{card.format}</span></td>
                  <td className="px-3 py-2" data-testid="license"><LicenseLink card={card} /></td>
                  <td className="px-3 py-2">
                    <DecisionBadge card={card} />
                    {card.enabled && !card.decision.allowed && card.decision.message && <span className="mt-1 block max-w-xs text-xs text-red-800">{card.decision.message}</span>}
                  </td>
                  <td className="px-3 py-2 text-xs" data-testid="approval"><ApprovalText card={card} /></td>
                  <td className="px-3 py-2"><span className={`whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${files.style}`}>{files.label}</span></td>
                  <td className="px-3 py-2 text-right">
                    <button type="button" onClick={() => toggle(card.id)} aria-expanded={expanded} aria-controls={`model-details-${card.id}`}
                      className={`whitespace-nowrap rounded-md border px-2.5 py-1 text-xs font-medium ${needsAction ? "border-amber-400 bg-amber-100 text-amber-900 hover:bg-amber-200" : "border-slate-300 hover:bg-slate-100"}`}>
                      {expanded ? "Hide details" : needsAction && card.needsApproval ? "Review and approve" : "Details"}
                      <span className="sr-only"> of {card.id}</span>
                    </button>
                  </td>
                </tr>
                {expanded && (
                  <tr id={`model-details-${card.id}`}>
                    <td colSpan={7} className="bg-slate-50/60 px-4 py-4"><ModelDetails card={card} /></td>
                  </tr>
                )}
            </tbody>
          );
        })}
        {cards.length === 0 && <tbody><tr><td colSpan={7} className="px-3 py-3 text-slate-500">No models in the manifest.</td></tr></tbody>}
      </table>
    </div>
  );
}
