/**
 * Embedding every knowledge base again with another model, into that model's own table,
 * while the old table keeps serving searches. The chunks are not parsed again: their
 * text and metadata are copied from the old table and only the vectors are new.
 *
 * Resumable: a document already in the new table at its current version is skipped, so
 * starting again after a cancel or a restart continues where it stopped. Documents that
 * change meanwhile are caught up in further passes until the new table matches Postgres.
 */
import { passageText } from "@/lib/embeddings/passage-text";
import type { Embedder } from "@/lib/embeddings/types";
import type { StoredChunk, VectorStore } from "@/lib/vectorstore";

export interface ReembedProgress {
  /** Documents embedded (or found already done) so far, of `total`. */
  documents: number;
  total: number;
  chunks: number;
  /** Documents whose chunks the old table did not have (the worker's reconciliation re-ingests them). */
  missing: number;
}

export interface ReembedDeps {
  /** The documents that should be searchable: ready, with chunks, at their current version. */
  documents(): Promise<{ id: string; version: number }[]>;
  from: Pick<VectorStore, "readDocument">;
  to: Pick<VectorStore, "replaceDocument" | "deleteDocument" | "listDocumentIds" | "ensureIndexes">;
  embedder: Pick<Embedder, "embed" | "maxBatch">;
  onProgress?: (progress: ReembedProgress) => void;
  signal?: AbortSignal;
}

/** Passes over the documents before giving up on catching up with a busy queue. */
const MAX_PASSES = 5;

export async function reembedAll(deps: ReembedDeps): Promise<ReembedProgress> {
  const progress: ReembedProgress = { documents: 0, total: 0, chunks: 0, missing: 0 };
  const missing = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { todo, stray, done } = await compare(deps, missing);
    if (pass === 0) Object.assign(progress, { documents: done, total: done + todo.length });
    else progress.total += todo.length;
    deps.onProgress?.({ ...progress });
    if (todo.length === 0 && stray.length === 0) break;
    for (const docId of stray) await deps.to.deleteDocument(docId);
    for (const doc of todo) {
      deps.signal?.throwIfAborted();
      const copied = await copyDocument(deps, doc);
      if (copied === undefined) missing.add(doc.id);
      progress.chunks += copied ?? 0;
      progress.documents++;
      progress.missing = missing.size;
      deps.onProgress?.({ ...progress });
    }
  }
  await deps.to.ensureIndexes({ force: true });
  return progress;
}

/** What the new table lacks (or has at an old version), and what it has that is gone. */
async function compare(deps: ReembedDeps, missing: ReadonlySet<string>) {
  const [wanted, stored] = await Promise.all([deps.documents(), deps.to.listDocumentIds()]);
  const have = new Map(stored.map((s) => [s.docId, s.versions]));
  const wantedIds = new Set(wanted.map((d) => d.id));
  const todo = wanted.filter((d) => !missing.has(d.id) && !(have.get(d.id) ?? []).includes(d.version));
  const stray = stored.filter((s) => !wantedIds.has(s.docId)).map((s) => s.docId);
  return { todo, stray, done: wanted.length - todo.length };
}

/** The document's chunks at `version`, embedded anew into the new table; undefined when the old table has none. */
async function copyDocument(deps: ReembedDeps, doc: { id: string; version: number }): Promise<number | undefined> {
  const chunks = (await deps.from.readDocument(doc.id)).filter((c) => c.docVersion === doc.version);
  if (chunks.length === 0) return undefined;
  const out: StoredChunk[] = [];
  for (let i = 0; i < chunks.length; i += deps.embedder.maxBatch) {
    deps.signal?.throwIfAborted();
    const slice = chunks.slice(i, i + deps.embedder.maxBatch);
    const vectors = await deps.embedder.embed(slice.map((c) => passageText(c.headingPath, c.text)), { kind: "passage" });
    slice.forEach((c, j) => out.push({ ...c, vector: vectors[j]! }));
  }
  await deps.to.replaceDocument(doc.id, out);
  return out.length;
}
