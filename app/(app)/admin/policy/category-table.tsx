"use client";

import { RISK_CATEGORIES } from "@/lib/review/classifier/categories";
import type { SignalAction } from "@/lib/review/policy";
import { ACTION_LABELS, type CategoryDraft, type PolicyDraft } from "./draft";

const input = "block w-20 rounded-md border border-slate-300 px-2 py-1 text-sm";

/** The risk classifier's categories, each with the risk at which it acts and what it does. */
export function CategoryTable({ draft, edit }: { draft: PolicyDraft; edit: (changes: Partial<PolicyDraft>) => void }) {
  const setCategory = (id: string, changes: Partial<CategoryDraft>) => edit({ categories: draft.categories.map((c) => (c.id === id ? { ...c, ...changes } : c)) });
  return (
    <section aria-labelledby="categories-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="categories-heading" className="text-lg font-semibold">Risk categories</h2>
      <p className="mt-1 text-sm text-slate-600">
        A trained classifier reads every question and gives its risk: how unlikely it is to be routine. When the risk reaches the
        threshold of the category the question most reads as, that category&apos;s action applies. Topics above still apply on top.
      </p>
      <label className="mt-3 flex items-center gap-2 text-sm">
        Common threshold
        <input aria-label="Common risk threshold" value={draft.classifierMinRisk} onChange={(e) => edit({ classifierMinRisk: e.target.value })} inputMode="decimal" className={input} />
        <span className="text-xs text-slate-500">0–1; lower holds more questions.</span>
      </label>
      <table className="mt-4 w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500">
          <tr><th className="py-1 pr-2 font-medium">Category</th><th className="py-1 pr-2 font-medium">Threshold</th><th className="py-1 font-medium">Action</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {RISK_CATEGORIES.map((category) => {
            const row = draft.categories.find((c) => c.id === category.id) ?? { id: category.id, action: "hold" as SignalAction, threshold: "" };
            return (
              <tr key={category.id} data-testid={`category-${category.id}`}>
                <td className="py-2 pr-2">
                  <span className="font-medium">{category.name[0]!.toUpperCase() + category.name.slice(1)}</span>
                  <span className="block text-xs text-slate-500">{category.covers}</span>
                </td>
                <td className="py-2 pr-2">
                  <input aria-label={`Threshold for ${category.name}`} value={row.threshold} placeholder={draft.classifierMinRisk} onChange={(e) => setCategory(category.id, { threshold: e.target.value })} inputMode="decimal" className={input} />
                </td>
                <td className="py-2">
                  <select aria-label={`Action for ${category.name}`} value={row.action} onChange={(e) => setCategory(category.id, { action: e.target.value as SignalAction })} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
                    {(["hold", "refuse", "none"] as SignalAction[]).map((a) => <option key={a} value={a}>{ACTION_LABELS[a]}</option>)}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
