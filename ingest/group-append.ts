/**
 * Group commit for first versions: while one append to the vector store is
 * being committed, documents that become ready queue up and go in the next
 * append together. A LanceDB commit costs tens of milliseconds whatever its
 * size, so a bulk ingest pays it once per group instead of once per document.
 *
 * Only first versions (no rows of the document can exist yet) are grouped:
 * an append is one commit, so each document's chunks still appear all at once
 * or not at all, and a worker killed before the commit leaves nothing behind.
 * New versions need replaceDocument's per-document swap and are not grouped.
 */
import type { StoredChunk, VectorStore } from "@/lib/vectorstore";

export interface GroupAppendOptions {
  /** Most rows in one append (a group stops growing here; default 20,000). */
  maxRows?: number;
  /**
   * True while more documents are on their way (in progress in this worker):
   * the group then waits up to `lingerMs` for them before committing.
   * Without it (or when it says false) a group commits at once.
   */
  more?: () => boolean;
  /** Longest wait for a group to fill while `more()` holds (default 500 ms). */
  lingerMs?: number;
}

/** Returns `append(chunks)`: resolves once those chunks are committed (together with others queued meanwhile). */
export function createGroupAppend(store: Pick<VectorStore, "add">, options: GroupAppendOptions = {}) {
  const maxRows = options.maxRows ?? 20_000;
  const lingerMs = options.lingerMs ?? 500;
  const waiting: { chunks: readonly StoredChunk[]; resolve(): void; reject(error: unknown): void }[] = [];
  let draining = false;
  let waitingRows = 0;
  let full: (() => void) | undefined;

  /** Wait while the group could still grow: more documents coming, room left, linger time left. */
  async function linger(): Promise<void> {
    if (!options.more?.() || waitingRows >= maxRows) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, lingerMs);
      full = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    full = undefined;
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (waiting.length > 0) {
        await linger();
        let rows = 0;
        let n = 0;
        while (n < waiting.length && (n === 0 || rows + (waiting[n]?.chunks.length ?? 0) <= maxRows)) rows += waiting[n++]?.chunks.length ?? 0;
        const group = waiting.splice(0, n);
        waitingRows -= rows;
        try {
          await store.add(group.length === 1 ? (group[0]?.chunks ?? []) : group.flatMap((g) => g.chunks));
          for (const g of group) g.resolve();
        } catch (error) {
          // The append is one commit: none of the group was written, so each document can be retried.
          for (const g of group) g.reject(error);
        }
      }
    } finally {
      draining = false;
    }
  }

  return function append(chunks: readonly StoredChunk[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      waiting.push({ chunks, resolve, reject });
      waitingRows += chunks.length;
      if (waitingRows >= maxRows || !options.more?.()) full?.();
      if (!draining) void drain();
    });
  };
}
