import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { listDocuments } from "@/db/queries/documents";
import { getKnowledgeBase, listKbReaderIds } from "@/db/queries/knowledge-bases";
import { listUsers } from "@/db/queries/users";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { idSchema } from "@/lib/kb/schemas";
import { documentView } from "@/lib/kb/views";
import { DocumentsPanel } from "./documents-panel";
import { KbSettings } from "./kb-settings";

export const metadata: Metadata = { title: "Knowledge base" };

export default async function KnowledgeBasePage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const db = await getDb();
  const kb = await getKnowledgeBase(db, { id });
  if (!kb) notFound();
  const [docs, readerIds, users] = await Promise.all([listDocuments(db, { kbId: id }), listKbReaderIds(db, { kbId: id }), listUsers(db)]);
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/admin/kbs" className="hover:underline">Knowledge bases</Link> › <span className="text-slate-800">{kb.name}</span>
      </nav>
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <DocumentsPanel kbId={kb.id} initialDocuments={docs.map(documentView)} maxUploadMb={getEnv().MAX_UPLOAD_MB} />
        <KbSettings
          kb={{ id: kb.id, name: kb.name, slug: kb.slug, description: kb.description, visibility: kb.visibility, readerIds, topK: kb.topK, minScore: kb.minScore, chunkTokens: kb.chunkTokens, chunkOverlap: kb.chunkOverlap }}
          users={users.filter((u) => u.active).map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))}
        />
      </div>
    </main>
  );
}
