/** What the browser sees of a document: no storage paths or worker internals. */
import type { DocumentRow } from "@/db/queries/documents";

export interface DocumentView {
  id: string;
  fileName: string;
  type: string | null;
  bytes: number;
  pages: number | null;
  chunkCount: number | null;
  status: DocumentRow["status"];
  progress: number;
  error: string | null;
  version: number;
  uploadedBy: string | null;
  updatedAt: string;
  /** Passages set aside for carrying instructions aimed at the assistant, awaiting an admin. */
  quarantined: { chunkId: string; reason: string; text: string; at: string }[];
}

export function documentView({ doc, uploader }: { doc: DocumentRow; uploader: string | null }): DocumentView {
  return {
    id: doc.id,
    fileName: doc.fileName,
    type: doc.type,
    bytes: doc.bytes,
    pages: doc.pages,
    chunkCount: doc.chunkCount,
    status: doc.status,
    progress: doc.progress,
    error: doc.error,
    version: doc.version,
    // No uploader id means the system loaded it (the sample knowledge base, or the CLI).
    uploadedBy: uploader ?? (doc.uploadedBy ? null : "system"),
    updatedAt: doc.updatedAt.toISOString(),
    quarantined: Object.entries(doc.quarantine ?? {})
      .filter(([, q]) => q.status === "quarantined")
      .map(([chunkId, q]) => ({ chunkId, reason: q.reason, text: q.text, at: q.at })),
  };
}
