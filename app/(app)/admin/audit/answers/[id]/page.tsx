import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { getTurnRecord } from "@/db/queries/turn-records";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AuditSections } from "../../audit-sections";

export const metadata: Metadata = { title: "Answer on record" };

const when = (d: Date | string) => new Date(d).toISOString().replace("T", " ").slice(0, 19) + " UTC";

/** One answered turn's whole provenance, with links to the documents it used and the model that wrote it. */
export default async function AnswerRecordPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const r = await getTurnRecord(await getDb(), { id });
  if (!r) notFound();
  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-3 gap-3 border-t border-slate-100 py-2 first:border-t-0">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 break-words">{value}</dd>
    </div>
  );
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <AuditSections current="answers" />
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500"><Link href="/admin/audit/answers" className="hover:underline">Answers</Link> › {when(r.createdAt)}</nav>
      <div className="mb-4 flex flex-wrap gap-2">
        <a href={`/api/admin/audit/answers/export?id=${r.id}&format=json`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">Export JSON</a>
        <a href={`/api/admin/audit/answers/export?id=${r.id}&format=csv`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">Export CSV</a>
      </div>
      <section aria-label="Provenance" className="rounded-lg border border-slate-200 bg-white p-5 text-sm">
        <dl data-testid="answer-record">
          {row("Asked by", `${r.userEmail}, ${when(r.createdAt)}`)}
          {row("Question", r.question ?? <span className="text-slate-500">not kept (sha256 {r.questionSha256.slice(0, 16)}…)</span>)}
          {row("Outcome", `${r.outcome.replace("_", " ")}${r.review ? `: ${r.review.decision} by ${r.review.reviewerEmail}, ${when(r.review.at)}` : ""}`)}
          {row("Text shown to the agent", r.answer ?? (r.answerSha256 ? <span className="text-slate-500">not kept (sha256 {r.answerSha256.slice(0, 16)}…)</span> : <span className="text-slate-500">nothing was released</span>))}
          {row("Written by", r.model ? (
            <>
              <span className="font-mono">{r.model.id}</span>
              {r.model.manifestEntry && <> under the manifest entry <Link href="/admin/models" className="font-mono text-indigo-700 hover:underline">{r.model.manifestEntry}</Link></>}
              {r.model.files.map((f) => <span key={f.path} className="block font-mono text-xs text-slate-600">{f.path} sha256 {f.sha256}</span>)}
              {r.model.adapters.length > 0 && <span className="block text-xs">adapters: {r.model.adapters.join(", ")}</span>}
            </>
          ) : r.answerMode === "quoted" ? "quoted from the knowledge base (no model wrote it)" : "no model (not found, refused or held before writing)")}
          {row("Policies in force", `model policy version ${r.modelPolicyVersion ?? "unknown"}, review policy version ${r.reviewPolicyVersion ?? "unknown"}`)}
          {row("Assessment", (
            <>
              <span>{r.assessment.decision}{r.assessment.topic ? ` (${r.assessment.topic})` : ""}</span>
              <ul className="mt-1 list-disc pl-5 text-slate-700">{r.assessment.signals.filter((s) => s.action !== "none").map((s, i) => <li key={i}>{s.reason}</li>)}</ul>
            </>
          ))}
          {row("Passages given", (
            <ol className="space-y-1" data-testid="record-chunks">
              {r.chunks.map((c) => (
                <li key={c.n}>[{c.n}] <Link href={`/documents/${c.docId}`} className="text-indigo-700 hover:underline">{c.fileName}</Link> version {c.docVersion} <span className="font-mono text-xs text-slate-500">chunk {c.chunkId}</span></li>
              ))}
              {r.chunks.length === 0 && <li className="text-slate-500">None.</li>}
            </ol>
          ))}
          {row("Record", <span className="font-mono text-xs">sha256 {r.sha256} (chained in the audit log as turn.{r.outcome}; checked by npm run audit:verify){r.textsPurgedAt ? `; texts purged ${when(r.textsPurgedAt)}` : ""}</span>)}
        </dl>
      </section>
    </main>
  );
}
