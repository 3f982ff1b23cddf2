import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { listKnowledgeBasesWithCounts } from "@/db/queries/knowledge-bases";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { CreateKbForm } from "./create-kb-form";

export const metadata: Metadata = { title: "Knowledge bases" };

export default async function KnowledgeBasesPage() {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const kbs = await listKnowledgeBasesWithCounts(await getDb());
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <CreateKbForm />
      <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {kbs.map(({ kb, documents, chunks }) => (
          <li key={kb.id}>
            <Link href={`/admin/kbs/${kb.id}`} className="block h-full rounded-lg border border-slate-200 bg-white p-4 hover:border-indigo-300 hover:shadow-sm">
              <div className="flex items-start justify-between gap-2">
                <h2 className="font-semibold">{kb.name}</h2>
                <span className={`rounded-full px-2 py-0.5 text-xs ${kb.visibility === "all" ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-800"}`}>
                  {kb.visibility === "all" ? "all agents" : "restricted"}
                </span>
              </div>
              <p className="mt-1 line-clamp-2 text-sm text-slate-600">{kb.description || "No description."}</p>
              <p className="mt-3 text-xs text-slate-500">{documents} document{documents === 1 ? "" : "s"} · {chunks} chunks · <span className="font-mono">{kb.slug}</span></p>
            </Link>
          </li>
        ))}
        {kbs.length === 0 && <li className="text-slate-500">No knowledge bases yet. Create one, then upload documents to it.</li>}
      </ul>
    </main>
  );
}
