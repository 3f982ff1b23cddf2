/**
 * Knowledge-base operations that span Postgres, the vector store and stored
 * files. Vectors and files go first: a row left behind by a crash is found by
 * reconcile; vectors with no row would be invisible but never cleaned.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Database } from "@/db/client";
import { countDocumentsUsingFile, deleteDocumentRow, getDocument, listDocumentsForReconcile, requeueDocument } from "@/db/queries/documents";
import { deleteKnowledgeBaseRow, getKnowledgeBase } from "@/db/queries/knowledge-bases";
import type { Actor } from "@/db/queries/users";
import { removeKnowledgeBaseFiles, removeOriginal } from "@/lib/kb/files";
import type { VectorStore } from "@/lib/vectorstore";

export interface KbDeps {
  db: Database;
  store: VectorStore;
  filesDir: string;
}

export async function deleteKnowledgeBase(deps: KbDeps, input: { id: string; actor: Actor }) {
  const kb = await getKnowledgeBase(deps.db, { id: input.id });
  if (!kb) return undefined;
  await deps.store.deleteKnowledgeBase(kb.id);
  await removeKnowledgeBaseFiles(deps.filesDir, kb.id);
  return deleteKnowledgeBaseRow(deps.db, input);
}

export async function deleteDocument(deps: KbDeps, input: { id: string; actor: Actor }) {
  const doc = await getDocument(deps.db, { id: input.id });
  if (!doc) return undefined;
  await deps.store.deleteDocument(doc.id);
  const deleted = await deleteDocumentRow(deps.db, input);
  if (doc.storagePath && (await countDocumentsUsingFile(deps.db, { storagePath: doc.storagePath })) === 0) {
    await removeOriginal(deps.filesDir, doc.storagePath);
  }
  return deleted;
}

export interface ReconcileReport {
  orphanedVectorDocs: number;
  requeuedDocs: number;
  orphanedFiles: number;
}

/** Finds and fixes drift between Postgres, the vector store and the files folder (run at start). */
export async function reconcile(deps: KbDeps, actor: Actor): Promise<ReconcileReport> {
  const docs = await listDocumentsForReconcile(deps.db);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const stored = await deps.store.listDocumentIds();
  const storedIds = new Map(stored.map((s) => [s.docId, s.versions]));
  let orphanedVectorDocs = 0;
  for (const s of stored) {
    if (!byId.has(s.docId)) {
      await deps.store.deleteDocument(s.docId);
      orphanedVectorDocs++;
    }
  }
  let requeuedDocs = 0;
  for (const d of docs) {
    const versions = storedIds.get(d.id);
    const missing = d.status === "ready" && (d.chunkCount ?? 0) > 0 && !versions?.includes(d.version);
    if (missing) {
      await requeueDocument(deps.db, { id: d.id, actor, reason: "its chunks were missing from the vector store" });
      requeuedDocs++;
    }
  }
  const referenced = new Set(docs.flatMap((d) => (d.storagePath ? [path.normalize(d.storagePath)] : [])));
  let orphanedFiles = 0;
  for (const kbDir of await fs.readdir(deps.filesDir).catch(() => [] as string[])) {
    for (const file of await fs.readdir(path.join(deps.filesDir, kbDir)).catch(() => [] as string[])) {
      const relative = path.join(kbDir, file);
      // A file written moments ago may belong to an upload whose row is being written right now.
      const age = Date.now() - (await fs.stat(path.join(deps.filesDir, relative))).mtimeMs;
      if (!referenced.has(relative) && age > 10 * 60_000) {
        await removeOriginal(deps.filesDir, relative);
        orphanedFiles++;
      }
    }
  }
  return { orphanedVectorDocs, requeuedDocs, orphanedFiles };
}
