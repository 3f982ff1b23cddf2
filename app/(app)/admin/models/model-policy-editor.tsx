"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { BlockedModel } from "@/lib/models/admin";
import type { Policy } from "@/lib/models/policy";
import { send } from "./send";

const USES: { value: Policy["use"]; label: string; hint: string }[] = [
  { value: "commercial", label: "Commercial", hint: "Vouch serves a business; licenses that forbid commercial use are refused." },
  { value: "internal", label: "Internal", hint: "Used inside a company; under non-commercial terms that is still commercial use." },
  { value: "research", label: "Research", hint: "Research only; non-commercial licenses are allowed." },
];

const LOCALITIES: { value: Policy["locality"]; label: string; hint: string }[] = [
  { value: "on-premises", label: "On premises", hint: "Only models that run on your machines; remote models are refused." },
  { value: "any", label: "Anywhere", hint: "Models may run anywhere; models whose terms require on-premises use are refused." },
];

type Preview = { key: string; blocked: BlockedModel[]; unchanged: boolean } | { key: string; error: string };

function splitIds(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** The policy editor: every change is previewed (which running models it would block) before it can be saved. */
export function ModelPolicyEditor({ policy, version, licenseChoices }: { policy: Policy; version: number; licenseChoices: string[] }) {
  const router = useRouter();
  const [use, setUse] = useState(policy.use);
  const [locality, setLocality] = useState(policy.locality);
  const [checked, setChecked] = useState(() => new Set(policy.allowedLicenses.map((l) => l.toLowerCase())));
  const [extra, setExtra] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const proposed: Policy = useMemo(
    () => ({ use, locality, allowedLicenses: [...licenseChoices.filter((l) => checked.has(l.toLowerCase())), ...splitIds(extra)] }),
    [use, locality, checked, extra, licenseChoices],
  );
  const key = `${version}:${JSON.stringify(proposed)}`;

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch("/api/admin/models/policy/preview", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ policy: proposed }),
          signal: controller.signal,
        });
        const data = (await res.json().catch(() => ({}))) as { blocked?: BlockedModel[]; unchanged?: boolean; message?: string };
        if (res.ok && data.blocked) setPreview({ key, blocked: data.blocked, unchanged: data.unchanged === true });
        else setPreview({ key, error: data.message ?? `Preview failed (${res.status}).` });
      } catch (err) {
        if ((err as Error).name !== "AbortError") setPreview({ key, error: "Could not reach the server for the preview." });
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, proposed]);

  const current = preview?.key === key ? preview : null;
  const ready = current !== null && !("error" in current) && !current.unchanged;

  function toggle(id: string) {
    setSaved(null);
    setChecked((prev) => {
      const next = new Set(prev);
      if (next.has(id.toLowerCase())) next.delete(id.toLowerCase());
      else next.add(id.toLowerCase());
      return next;
    });
  }

  async function save() {
    if (!current || "error" in current) return;
    setSaving(true);
    setSaveError(null);
    const result = await send<{ version: number }>("/api/admin/models/policy", "PUT", {
      policy: proposed,
      baseVersion: version,
      confirmBlocked: current.blocked.map((b) => b.modelId),
    });
    setSaving(false);
    if (!result.ok) return setSaveError(result.message);
    setExtra("");
    setChecked(new Set(proposed.allowedLicenses.map((l) => l.toLowerCase())));
    setSaved(`Saved as policy version ${result.data.version}.`);
    router.refresh();
  }

  const fieldset = "rounded-lg border border-slate-200 p-4";
  return (
    <section aria-labelledby="policy-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="policy-heading" className="text-lg font-semibold">Model policy</h2>
        <p className="text-sm text-slate-500" data-testid="policy-version">Version {version}</p>
      </div>
      <p className="mt-1 text-sm text-slate-600">What this deployment is for, which licenses the organisation accepts, and where models may run. Each save is a new, audited version.</p>

      <form aria-label="Model policy" onSubmit={(e) => { e.preventDefault(); void save(); }} className="mt-4 grid gap-4 lg:grid-cols-3">
        <fieldset className={fieldset}>
          <legend className="px-1 text-sm font-medium">Use</legend>
          <div className="space-y-2">
            {USES.map((u) => (
              <label key={u.value} className="flex gap-2 text-sm">
                <input type="radio" name="use" value={u.value} checked={use === u.value} onChange={() => { setUse(u.value); setSaved(null); }} className="mt-1" />
                <span><span className="font-medium">{u.label}</span><span className="block text-xs text-slate-500">{u.hint}</span></span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className={fieldset}>
          <legend className="px-1 text-sm font-medium">Allowed licenses</legend>
          <div className="grid grid-cols-2 gap-x-3 gap-y-1">
            {licenseChoices.map((id) => (
              <label key={id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={checked.has(id.toLowerCase())} onChange={() => toggle(id)} />
                <span className="font-mono text-xs">{id}</span>
              </label>
            ))}
          </div>
          <label className="mt-3 block text-sm">
            More license ids
            <input value={extra} onChange={(e) => { setExtra(e.target.value); setSaved(null); }} placeholder="e.g. BSD-3-Clause, LicenseRef-gemma"
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-xs" />
            <span className="mt-1 block text-xs text-slate-500">SPDX ids or LicenseRef-… ids, separated by commas.</span>
          </label>
        </fieldset>

        <fieldset className={fieldset}>
          <legend className="px-1 text-sm font-medium">Locality</legend>
          <div className="space-y-2">
            {LOCALITIES.map((l) => (
              <label key={l.value} className="flex gap-2 text-sm">
                <input type="radio" name="locality" value={l.value} checked={locality === l.value} onChange={() => { setLocality(l.value); setSaved(null); }} className="mt-1" />
                <span><span className="font-medium">{l.label}</span><span className="block text-xs text-slate-500">{l.hint}</span></span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="lg:col-span-3" aria-live="polite" data-testid="policy-preview">
          {!current && <p className="text-sm text-slate-500">Checking what this policy would change…</p>}
          {current && "error" in current && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{current.error}</p>}
          {current && !("error" in current) && current.unchanged && <p className="text-sm text-slate-500">No change from version {version}.</p>}
          {current && !("error" in current) && !current.unchanged && current.blocked.length === 0 && (
            <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">This change blocks no model that runs now.</p>
          )}
          {current && !("error" in current) && current.blocked.length > 0 && (
            <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              <p className="font-medium">This change would block {current.blocked.length} model{current.blocked.length === 1 ? "" : "s"} that run now:</p>
              <ul className="mt-1 list-disc space-y-1 pl-5">
                {current.blocked.map((b) => <li key={b.modelId} data-testid={`blocked-${b.modelId}`}>{b.message}</li>)}
              </ul>
            </div>
          )}
        </div>

        <div className="flex flex-wrap items-center gap-3 lg:col-span-3">
          <button type="submit" disabled={!ready || saving}
            className={`rounded-md px-4 py-2 text-sm font-medium text-white disabled:opacity-50 ${ready && current.blocked.length > 0 ? "bg-red-600 hover:bg-red-500" : "bg-indigo-600 hover:bg-indigo-500"}`}>
            {saving ? "Saving…" : ready && current.blocked.length > 0 ? `Save and block ${current.blocked.length} model${current.blocked.length === 1 ? "" : "s"}` : "Save policy"}
          </button>
          {saved && <p role="status" className="text-sm text-emerald-700">{saved}</p>}
          {saveError && <p role="alert" className="text-sm text-red-700">{saveError}</p>}
        </div>
      </form>
    </section>
  );
}
