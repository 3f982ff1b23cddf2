/**
 * Choosing what goes into the prompt from the fused list: one version per
 * document, no near-duplicates, and no more than the token budget.
 * Every function keeps the input order (best first) and is pure.
 */
import { words } from "./words";

interface Versioned {
  docId: string;
  docVersion: number;
}

/**
 * Drop chunks of older versions when a newer version of the same document is
 * in the list. The dense and BM25 searches run separately and could straddle
 * a document swap; this keeps the fused list to one version per document.
 */
export function keepLatestVersions<T extends Versioned>(chunks: readonly T[]): T[] {
  const latest = new Map<string, number>();
  for (const c of chunks) latest.set(c.docId, Math.max(latest.get(c.docId) ?? -Infinity, c.docVersion));
  return chunks.filter((c) => c.docVersion === latest.get(c.docId));
}

/** Word 3-shingles of a text (the whole word list when shorter). */
export function shingles(text: string, size = 3): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  if (w.length <= size) {
    if (w.length > 0) out.add(w.join(" "));
    return out;
  }
  for (let i = 0; i + size <= w.length; i++) out.add(w.slice(i, i + size).join(" "));
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

interface Dedupable {
  text: string;
  contentHash: string;
}

/**
 * Drop a chunk when a better-ranked one has the same content hash, or when
 * their word-shingle Jaccard similarity reaches `threshold` (the same passage
 * in two files, or overlapping windows of one). Lazy, so retrieval only
 * compares the chunks it ends up needing.
 */
export function* withoutNearDuplicates<T extends Dedupable>(chunks: Iterable<T>, threshold = 0.8, onDrop?: (chunk: T) => void): Generator<T> {
  const keptShingles: Set<string>[] = [];
  const hashes = new Set<string>();
  for (const c of chunks) {
    if (c.contentHash !== "" && hashes.has(c.contentHash)) {
      onDrop?.(c);
      continue;
    }
    const sh = shingles(c.text);
    if (keptShingles.some((k) => jaccard(k, sh) >= threshold)) {
      onDrop?.(c);
      continue;
    }
    keptShingles.push(sh);
    if (c.contentHash !== "") hashes.add(c.contentHash);
    yield c;
  }
}

/** withoutNearDuplicates over a whole list. */
export function dropNearDuplicates<T extends Dedupable>(chunks: readonly T[], threshold = 0.8): { kept: T[]; dropped: number } {
  let dropped = 0;
  const kept = [...withoutNearDuplicates(chunks, threshold, () => dropped++)];
  return { kept, dropped };
}

/**
 * Keep up to `k` chunks, best first, whose token counts sum to at most
 * `budget`. A chunk that does not fit is skipped and smaller ones further down
 * may still be taken, so one long chunk does not starve the prompt.
 */
export function fitTokenBudget<T extends { text: string }>(
  chunks: Iterable<T>,
  options: { k: number; budget: number; countTokens: (text: string) => number },
): { kept: (T & { tokens: number })[]; skipped: number } {
  const kept: (T & { tokens: number })[] = [];
  let used = 0;
  let skipped = 0;
  for (const c of chunks) {
    if (kept.length >= options.k) break;
    const tokens = options.countTokens(c.text);
    if (used + tokens > options.budget) {
      skipped++;
      continue;
    }
    used += tokens;
    kept.push({ ...c, tokens });
  }
  return { kept, skipped };
}
