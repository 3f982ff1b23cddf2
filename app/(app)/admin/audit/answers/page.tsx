import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { listKnowledgeBasesWithCounts } from "@/db/queries/knowledge-bases";
import { getRetention } from "@/db/queries/settings";
import { countTurnRecords, listTurnRecords } from "@/db/queries/turn-records";
import { singleParams } from "@/lib/audit/filter";
import { documentsOf, OUTCOMES, toTurnFilter, turnQuerySchema } from "@/lib/audit/turn-filter";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { describeZodError } from "@/lib/errors";
import { AuditSections } from "../audit-sections";
import { RetentionCard } from "./retention-card";

export const metadata: Metadata = { title: "Answers on record" };
const PAGE_SIZE = 50;

type Search = Record<string, string | string[] | undefined>;

/** Every answered turn on the record: find by user, date, knowledge base, document version, model or outcome; export. */
export default async function AnswersPage({ searchParams }: { searchParams: Promise<Search> }) {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const raw = singleParams(await searchParams);
  const parsed = turnQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : turnQuerySchema.parse({});
  const db = await getDb();
  const filter = toTurnFilter(query);
  const [rows, total, kbs, retention] = await Promise.all([
    listTurnRecords(db, filter, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
    countTurnRecords(db, filter),
    listKnowledgeBasesWithCounts(db),
    getRetention(db),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const qs = (extra: Record<string, string>) => new URLSearchParams({ ...raw, ...extra }).toString();
  const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <AuditSections current="answers" />
      <RetentionCard initial={retention} />
      <form method="get" aria-label="Filter answers" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4 lg:grid-cols-8 sm:items-end">
        <label className="text-sm">User<input name="user" defaultValue={raw.user} placeholder="email" className={input} /></label>
        <label className="text-sm">From<input name="from" type="date" defaultValue={raw.from} className={input} /></label>
        <label className="text-sm">To<input name="to" type="date" defaultValue={raw.to} className={input} /></label>
        <label className="text-sm">Knowledge base
          <select name="kb" defaultValue={raw.kb ?? ""} className={input}>
            <option value="">any</option>
            {kbs.map(({ kb }) => <option key={kb.id} value={kb.id}>{kb.name}</option>)}
          </select>
        </label>
        <label className="text-sm">Document<input name="file" defaultValue={raw.file} placeholder="file name" className={input} /></label>
        <label className="text-sm">Version<input name="version" type="number" min={1} defaultValue={raw.version} className={input} /></label>
        <label className="text-sm">Model<input name="model" defaultValue={raw.model} placeholder="served name" className={input} /></label>
        <label className="text-sm">Outcome
          <select name="outcome" defaultValue={raw.outcome ?? ""} className={input}>
            <option value="">any</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{o.replace("_", " ")}</option>)}
          </select>
        </label>
        {raw.doc && <input type="hidden" name="doc" value={raw.doc} />}
        <div className="flex flex-wrap gap-2 sm:col-span-4 lg:col-span-8">
          <button className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">Filter</button>
          <a href={`/api/admin/audit/answers/export?${qs({ format: "csv" })}`} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">Export CSV</a>
          <a href={`/api/admin/audit/answers/export?${qs({ format: "json" })}`} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">Export JSON</a>
        </div>
        {!parsed.success && <p role="alert" className="text-sm text-red-700 sm:col-span-4 lg:col-span-8">{describeZodError(parsed.error)}</p>}
      </form>
      {raw.doc && (
        <p className="mb-2 text-sm" data-testid="doc-filter">
          Answers that were given one document{raw.version ? ` at version ${raw.version}` : ""}. <Link href={`?${new URLSearchParams(Object.entries(raw).filter(([k]) => k !== "doc" && k !== "version"))}`} className="text-indigo-700 hover:underline">Show all documents</Link>
        </p>
      )}
      <p className="mb-2 text-sm text-slate-600" data-testid="answers-total">{total} answer{total === 1 ? "" : "s"}</p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Answered turns</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>{["Time (UTC)", "User", "Question", "Outcome", "Written by", "Documents"].map((h) => <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id} data-testid="answer-row">
                <td className="whitespace-nowrap px-3 py-2"><Link href={`/admin/audit/answers/${r.id}`} className="text-indigo-700 hover:underline">{r.createdAt.toISOString().replace("T", " ").slice(0, 19)}</Link></td>
                <td className="px-3 py-2">{r.userEmail}</td>
                <td className="max-w-sm truncate px-3 py-2" title={r.question ?? undefined}>{r.question ?? <span className="text-slate-500">hash only</span>}</td>
                <td className="px-3 py-2">{r.outcome.replace("_", " ")}{r.review ? ` by ${r.review.reviewerEmail}` : ""}</td>
                <td className="px-3 py-2 font-mono text-xs">{r.model?.id ?? (r.answerMode === "quoted" ? "quoted" : "—")}</td>
                <td className="px-3 py-2 text-xs">{documentsOf(r) || "—"}</td>
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={6} className="px-3 py-4 text-center text-slate-500">No answers match.</td></tr>}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav aria-label="Pages" className="mt-3 flex items-center gap-3 text-sm">
          {query.page > 1 && <Link href={`?${qs({ page: String(query.page - 1) })}`} className="text-indigo-700 hover:underline">Previous</Link>}
          <span>Page {query.page} of {pages}</span>
          {query.page < pages && <Link href={`?${qs({ page: String(query.page + 1) })}`} className="text-indigo-700 hover:underline">Next</Link>}
        </nav>
      )}
    </main>
  );
}
