/**
 * Accepting uploaded files into a knowledge base: name and size checks, .zip
 * expansion with bomb caps, content-addressed storage, then a queued document.
 * Each file gets its own outcome; one bad file never stops the batch.
 */
import { readFile } from "node:fs/promises";
import type { Database } from "@/db/client";
import { registerUploads, type UploadRecord } from "@/db/queries/documents";
import type { Actor } from "@/db/queries/users";
import { sha256Bytes, storeOriginal } from "@/lib/kb/files";
import { detectFile, IngestError, isIngestError, unsupportedReason } from "./parse";
import { checkFileSize, extractZip, sanitizeFileName } from "./safety";

/** A file's bytes, or the path of a file holding them (read only when its turn comes). */
export type UploadItem = { fileName: string; bytes: Uint8Array } | { fileName: string; path: string };

/** Files checked and stored at once: enough to overlap their disk work, few enough to bound memory. */
const PARALLEL_FILES = 4;

export interface UploadResult {
  fileName: string;
  outcome: "queued" | "new-version" | "duplicate" | "rejected";
  documentId?: string;
  version?: number;
  error?: string;
  /** A duplicate of a document that is still queued or in progress (not ready, not failed). */
  unfinished?: boolean;
}

export interface UploadDeps {
  db: Database;
  filesDir: string;
  kbId: string;
  maxBytes: number;
  actor: Actor;
}

/** Checks and stores every item, then records the accepted ones in one transaction; each item gets its outcome, in order. */
export async function acceptUploads(items: readonly UploadItem[], deps: UploadDeps): Promise<UploadResult[]> {
  // Files are checked and stored side by side (each store is a few file operations); outcomes keep their order.
  const prepared = (await mapLimited(items, PARALLEL_FILES, (item) => prepareItem(item, deps))).flat();
  const records = prepared.flatMap((p) => ("record" in p ? [p.record] : []));
  const registered = await registerUploads(deps.db, { kbId: deps.kbId, actor: deps.actor, files: records });
  let next = 0;
  return prepared.map((p) => {
    if (!("record" in p)) return p.rejected;
    const r = registered[next++]!;
    const result: UploadResult = { fileName: p.record.fileName, outcome: r.outcome, documentId: r.doc.id, version: r.doc.version };
    if (r.outcome === "duplicate" && r.doc.status !== "ready" && r.doc.status !== "failed") result.unfinished = true;
    return result;
  });
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

async function prepareItem(item: UploadItem, deps: UploadDeps): Promise<Prepared[]> {
  return prepare({ fileName: item.fileName, bytes: "bytes" in item ? item.bytes : new Uint8Array(await readFile(item.path)) }, deps);
}

/** An item checked and stored, ready to record; or why it was rejected. */
type Prepared = { record: UploadRecord } | { rejected: UploadResult };

async function prepare(item: { fileName: string; bytes: Uint8Array }, deps: UploadDeps): Promise<Prepared[]> {
  let name = item.fileName;
  try {
    name = sanitizeFileName(item.fileName);
    checkFileSize(item.bytes.length, deps.maxBytes);
    // Known by its bytes, whatever its name says: a program renamed .pdf is refused here, and nothing is stored.
    const detected = detectFile(item.bytes, name);
    if (detected.type === "unsupported") throw new IngestError("unsupported_type", unsupportedReason(detected.mime));
    if (detected.type === "zip") return await prepareArchive(name, item.bytes, deps);
    const sha256 = sha256Bytes(item.bytes);
    const storagePath = await storeOriginal(deps.filesDir, deps.kbId, item.bytes, sha256);
    return [{ record: { fileName: name, sha256, bytes: item.bytes.length, storagePath } }];
  } catch (error) {
    if (isIngestError(error)) return [{ rejected: { fileName: name, outcome: "rejected", error: error.message } }];
    throw error;
  }
}

async function prepareArchive(name: string, bytes: Uint8Array, deps: UploadDeps): Promise<Prepared[]> {
  const { files, rejected } = extractZip(bytes, undefined, deps.maxBytes);
  const out: Prepared[] = rejected.map((r) => ({ rejected: { fileName: `${name}/${r.name}`, outcome: "rejected", error: r.error.message } }));
  for (const file of files) out.push(...(await prepare({ fileName: file.name, bytes: file.bytes }, deps)));
  return out;
}
