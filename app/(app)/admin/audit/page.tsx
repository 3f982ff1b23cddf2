import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { AuditSections } from "./audit-sections";
import { listAuditEvents } from "@/db/queries/audit";
import { auditQuerySchema, singleParams, toFilter } from "@/lib/audit/filter";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { describeZodError } from "@/lib/errors";

export const metadata: Metadata = { title: "Audit log" };
const PAGE_SIZE = 50;

type Search = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const raw = singleParams(await searchParams);
  const parsed = auditQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({});
  const { rows, total } = await listAuditEvents(await getDb(), { filter: toFilter(query), limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const qs = (extra: Record<string, string>) => new URLSearchParams({ ...raw, ...extra }).toString();
  const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <AuditSections current="events" />
      <form method="get" aria-label="Filter audit events" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5 sm:items-end">
        <label className="text-sm">Actor<input name="actor" defaultValue={raw.actor} placeholder="email" className={input} /></label>
        <label className="text-sm">Action<input name="action" defaultValue={raw.action} placeholder="e.g. auth.signin" className={input} /></label>
        <label className="text-sm">From<input name="from" type="date" defaultValue={raw.from} className={input} /></label>
        <label className="text-sm">To<input name="to" type="date" defaultValue={raw.to} className={input} /></label>
        <div className="flex gap-2">
          <button className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">Filter</button>
          <a href={`/api/admin/audit/export?${qs({})}`} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">Export CSV</a>
        </div>
        {!parsed.success && <p role="alert" className="text-sm text-red-700 sm:col-span-5">{describeZodError(parsed.error)}</p>}
      </form>
      <p className="mb-2 text-sm text-slate-600">{total} event{total === 1 ? "" : "s"}</p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Audit events</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              {["#", "Time (UTC)", "Actor", "Action", "Target", "Details"].map((h) => <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>)}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td className="px-3 py-2 text-slate-500">{e.id}</td>
                <td className="whitespace-nowrap px-3 py-2">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="px-3 py-2">{e.actorEmail ?? "—"}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-2">{e.target ?? "—"}</td>
                <td className="max-w-md truncate px-3 py-2 font-mono text-xs text-slate-600" title={JSON.stringify(e.details)}>{JSON.stringify(e.details)}</td>
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={6} className="px-3 py-6 text-center text-slate-500">No events match these filters.</td></tr>}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
        {query.page > 1 ? <Link href={`?${qs({ page: String(query.page - 1) })}`} className="rounded-md border px-3 py-1.5">Newer</Link> : <span />}
        <span className="text-slate-600">Page {query.page} of {pages}</span>
        {query.page < pages ? <Link href={`?${qs({ page: String(query.page + 1) })}`} className="rounded-md border px-3 py-1.5">Older</Link> : <span />}
      </nav>
    </main>
  );
}
