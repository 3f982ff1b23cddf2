import "server-only";
/**
 * Opening an original for a reader: the document must be in a knowledge base
 * the user may read; the passage comes from an answer's stored sources, which
 * the user must be allowed to see (their own answer, or a held one for a reviewer).
 */
import { getMessage, getOwnedMessage } from "@/db/queries/conversations";
import { findDocumentsByName, getDocument } from "@/db/queries/documents";
import { listReadableKnowledgeBases } from "@/db/queries/knowledge-bases";
import { getReviewItemForMessage } from "@/db/queries/review";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { SourceSnapshot } from "@/lib/rag/sources";
import { readOriginal } from "./files";
import { linkTarget, viewerHref } from "./links";

export interface OpenedDocument {
  id: string;
  kbId: string;
  kbName: string;
  fileName: string;
  type: string | null;
  version: number;
  pages: number | null;
  bytes: Uint8Array;
  /** The cited passage, as the answer used it. */
  passage?: SourceSnapshot;
  /** Where this document's links lead in Vouch, all resolved at once. */
  resolveLinks(hrefs: readonly string[]): Promise<Map<string, string | null>>;
}

export const documentNotFound = () => new AppError("not_found:document", "That document does not exist or you can't read it.");

export async function openForReading(user: SessionUser, docId: string, at?: { messageId: string; n: number }): Promise<OpenedDocument> {
  const { doc, kb } = await readableDocument(user, docId);
  if (!doc.storagePath) throw documentNotFound();
  const bytes = await readOriginal(getEnv().filesDir, doc.storagePath);
  const passage = at ? await passageOf(user, at, doc.id) : undefined;
  return {
    id: doc.id,
    kbId: doc.kbId,
    kbName: kb.name,
    fileName: doc.fileName,
    type: doc.type,
    version: doc.version,
    pages: doc.pages,
    bytes,
    ...(passage ? { passage } : {}),
    resolveLinks: (hrefs) => resolveDocumentLinks(doc, hrefs),
  };
}

/** Where links written in `doc` lead in Vouch: the viewer of another document of its knowledge base, or null. */
export async function resolveDocumentLinks(doc: { kbId: string; fileName: string }, hrefs: readonly string[]): Promise<Map<string, string | null>> {
  const targets = hrefs.map((href) => ({ href, target: linkTarget(doc.fileName, href) }));
  const names = [...new Set(targets.flatMap((t) => (t.target ? [t.target.fileName] : [])))];
  const found = await findDocumentsByName(await getDb(), { kbId: doc.kbId, fileNames: names });
  return new Map(targets.map(({ href, target }) => [href, target && found.has(target.fileName) ? viewerHref(found.get(target.fileName)!, target.fragment) : null]));
}

/** A document the user may read (its knowledge base is theirs to read), or not found. */
export async function readableDocument(user: SessionUser, docId: string) {
  const db = await getDb();
  const doc = await getDocument(db, { id: docId });
  const kb = doc && (await listReadableKnowledgeBases(db, user)).find((k) => k.id === doc.kbId);
  if (!doc || !kb) throw documentNotFound();
  return { doc, kb };
}

/** Source n of the answer, when the user may see that answer and it cites this document. */
async function passageOf(user: SessionUser, at: { messageId: string; n: number }, docId: string): Promise<SourceSnapshot | undefined> {
  const db = await getDb();
  let message = await getOwnedMessage(db, { id: at.messageId, userId: user.id });
  if (!message && user.role !== "agent" && (await getReviewItemForMessage(db, { messageId: at.messageId }))) message = await getMessage(db, { id: at.messageId });
  const source = ((message?.sources ?? []) as SourceSnapshot[]).find((s) => s.n === at.n);
  return source?.docId === docId ? source : undefined;
}
