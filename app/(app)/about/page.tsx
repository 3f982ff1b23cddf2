import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { requirePageUser } from "@/lib/auth/session";
import { licenseUrl } from "@/lib/models/model-cards";
import { getModelGate } from "@/lib/models/service";
import { collectAttributions } from "@/lib/models/attributions";

export const metadata: Metadata = { title: "About" };

/** What Vouch is, the models it runs, and every notice their licenses require. Open to every signed-in role. */
export default async function AboutPage() {
  await connection();
  const user = await requirePageUser();
  const status = (await getModelGate()).status();
  const manifest = status.approvedManifest;
  const enabled = manifest?.models.filter((m) => m.enabled) ?? [];
  const attributions = manifest ? collectAttributions(manifest) : [];

  return (
    <main className="mx-auto max-w-3xl space-y-8">
      <section>
        <h1 className="text-2xl font-semibold">About Vouch</h1>
        <p className="mt-3 text-slate-700">
          Vouch answers questions from your organisation&apos;s own knowledge bases. It runs offline: documents, search and the language
          models stay on your machines. Each answer cites its sources, and answers on high-stakes topics go to a reviewer before anyone
          relies on them.
        </p>
        <p className="mt-3 text-slate-700">
          Every model Vouch runs is listed in its model manifest with its license. A model runs only when its license is allowed by the
          organisation&apos;s policy, its files match their recorded hashes, and an administrator approved it.
        </p>
      </section>

      <section aria-labelledby="models-heading">
        <h2 id="models-heading" className="text-lg font-semibold">Models in use</h2>
        {status.manifestError && <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">The model manifest could not be read, so no model runs.</p>}
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {enabled.map((m) => {
            const allowed = status.decisions.find((d) => d.modelId === m.id)?.allowed === true;
            return (
              <li key={m.id} data-testid={`about-model-${m.id}`} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <span>
                  <span className="font-medium">{m.card.name}</span> <span className="text-slate-500">({m.role})</span>
                  {m.license && (
                    <a href={licenseUrl(m.license)} target="_blank" rel="noreferrer" className="ml-2 text-indigo-700 hover:underline">{m.license.id}</a>
                  )}
                </span>
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${allowed ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-800"}`}>
                  {allowed ? "in use" : "unavailable"}
                </span>
              </li>
            );
          })}
          {enabled.length === 0 && <li className="px-4 py-3 text-sm text-slate-500">No model is enabled.</li>}
        </ul>
        {user.role === "admin" && (
          <p className="mt-2 text-sm text-slate-600">
            Licenses, approvals and refusals are in <Link href="/admin/models" className="text-indigo-700 hover:underline">Admin › Models</Link>.
          </p>
        )}
      </section>

      <section aria-labelledby="notices-heading">
        <h2 id="notices-heading" className="text-lg font-semibold">Notices and attributions</h2>
        <p className="mt-1 text-sm text-slate-600">The licenses of the models above require these notices.</p>
        <div className="mt-3 space-y-3">
          {attributions.map((a) => (
            <article key={a.modelId} data-testid={`attribution-${a.modelId}`} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <h3 className="font-medium">
                {a.modelName} <span className="font-normal text-slate-500">· </span>
                <a href={licenseUrl(a.license)} target="_blank" rel="noreferrer" className="font-normal text-indigo-700 hover:underline">{a.license.name ?? a.license.id}</a>
              </h3>
              <p className="mt-2 text-slate-700">{a.text}</p>
              {a.useRestrictions.length > 0 && (
                <ul className="mt-2 list-disc pl-5 text-slate-600">
                  {a.useRestrictions.map((r, i) => (
                    <li key={i}>{r.text}{r.url && <> (<a href={r.url} target="_blank" rel="noreferrer" className="text-indigo-700 hover:underline">terms</a>)</>}</li>
                  ))}
                </ul>
              )}
            </article>
          ))}
          {attributions.length === 0 && <p className="text-sm text-slate-500">No notices are required.</p>}
        </div>
      </section>
    </main>
  );
}
