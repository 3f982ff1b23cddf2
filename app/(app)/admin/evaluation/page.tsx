import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { listDocuments } from "@/db/queries/documents";
import { listEvalRuns, listEvalSets } from "@/db/queries/evaluation";
import { listKnowledgeBasesWithCounts } from "@/db/queries/knowledge-bases";
import { REVIEW_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { BUILT_IN_ATTACKS } from "@/lib/eval/red-team";
import { settleStaleRuns } from "@/lib/eval/server";
import { runSummary } from "@/lib/eval/views";
import { AddQuestion } from "./add-question";
import { MetricChart } from "./metric-chart";
import { RunControls } from "./run-controls";
import { RunsTable } from "./runs-table";
import { SetsTable } from "./sets-table";
import { UploadSet } from "./upload-set";

export const metadata: Metadata = { title: "Evaluation" };

/**
 * Admin › Evaluation: question sets per knowledge base, runs against the live index, model and
 * review policy, each metric over time. Admins manage and run; reviewers read.
 */
export default async function EvaluationPage({ searchParams }: { searchParams: Promise<{ kb?: string }> }) {
  await connection();
  const user = await requirePageUser(REVIEW_ROLES);
  const admin = user.role === "admin";
  const db = await getDb();
  const kbs = (await listKnowledgeBasesWithCounts(db)).map((row) => row.kb);
  const wanted = (await searchParams).kb;
  const kb = kbs.find((k) => k.id === wanted || k.slug === wanted) ?? kbs[0];
  if (!kb) return <Shell admin={admin}><p className="text-slate-600">There is no knowledge base yet. Create one in Admin › Knowledge bases, then evaluate it here.</p></Shell>;
  await settleStaleRuns();
  const [sets, runs, docs] = await Promise.all([listEvalSets(db, { kbId: kb.id }), listEvalRuns(db, { kbId: kb.id, limit: 100 }), listDocuments(db, { kbId: kb.id })]);
  const summaries = runs.map(runSummary);
  const questionSets = sets.filter((s) => s.purpose === "questions").map((s) => ({ id: s.id, name: s.name, questions: s.questions }));
  const ownAttacks = sets.filter((s) => s.purpose === "red-team").reduce((n, s) => n + s.questions, 0);
  const running = summaries.some((r) => r.status === "running");
  return (
    <Shell admin={admin}>
      {running && <AutoRefresh everyMs={1500} />}
      <nav aria-label="Knowledge bases" className="mb-4 flex flex-wrap gap-2 text-sm">
        {kbs.map((k) => (
          <Link key={k.id} href={`/admin/evaluation?kb=${k.slug}`} aria-current={k.id === kb.id ? "page" : undefined} className={`rounded-full border px-3 py-1 ${k.id === kb.id ? "border-indigo-600 bg-indigo-50 text-indigo-700" : "border-slate-300 text-slate-700 hover:bg-slate-50"}`}>
            {k.name}
          </Link>
        ))}
      </nav>
      <section aria-label="Question sets" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Question sets</h2>
        <p className="mt-1 text-sm text-slate-600">
          Questions with the documents that should answer them, optionally the fact the answer must contain and whether it needs a reviewer (<code>high</code>). Red-team sets hold your own attack attempts. Each upload or added question is a new version.
        </p>
        <SetsTable sets={sets.map((s) => ({ id: s.id, name: s.name, purpose: s.purpose, questions: s.questions, version: s.version, gated: s.gated, updatedAt: s.updatedAt.toISOString() }))} admin={admin} />
        {admin && (
          <div className="mt-4 grid gap-4 lg:grid-cols-2">
            <UploadSet kbId={kb.id} />
            <AddQuestion sets={questionSets} documents={docs.filter((d) => d.doc.status === "ready").map((d) => d.doc.fileName)} />
          </div>
        )}
      </section>
      {admin && <RunControls kbId={kb.id} sets={questionSets} attacks={{ builtIn: BUILT_IN_ATTACKS.length, own: ownAttacks }} />}
      <MetricChart runs={summaries} />
      <RunsTable runs={summaries} sets={Object.fromEntries(sets.map((s) => [s.id, s.name]))} />
    </Shell>
  );
}

function Shell({ admin, children }: { admin: boolean; children: React.ReactNode }) {
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">{admin ? "Administration" : "Evaluation"}</h1>
      {admin && <AdminTabs />}
      {children}
    </main>
  );
}
