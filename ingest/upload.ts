/**
 * Accepting uploaded files into a knowledge base: name and size checks, .zip
 * expansion with bomb caps, content-addressed storage, then a queued document.
 * Each file gets its own outcome; one bad file never stops the batch.
 */
import type { Database } from "@/db/client";
import { registerUpload } from "@/db/queries/documents";
import type { Actor } from "@/db/queries/users";
import { sha256Bytes, storeOriginal } from "@/lib/kb/files";
import { detectType, isIngestError } from "./parse";
import { checkFileSize, extractZip, sanitizeFileName } from "./safety";

export interface UploadItem {
  fileName: string;
  bytes: Uint8Array;
}

export interface UploadResult {
  fileName: string;
  outcome: "queued" | "new-version" | "duplicate" | "rejected";
  documentId?: string;
  version?: number;
  error?: string;
}

export interface UploadDeps {
  db: Database;
  filesDir: string;
  kbId: string;
  maxBytes: number;
  actor: Actor;
}

export async function acceptUploads(items: readonly UploadItem[], deps: UploadDeps): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  for (const item of items) results.push(...(await acceptOne(item, deps)));
  return results;
}

async function acceptOne(item: UploadItem, deps: UploadDeps): Promise<UploadResult[]> {
  let name = item.fileName;
  try {
    name = sanitizeFileName(item.fileName);
    checkFileSize(item.bytes.length, deps.maxBytes);
    if (detectType(item.bytes, name) === "zip") return await acceptArchive(name, item.bytes, deps);
    const sha256 = sha256Bytes(item.bytes);
    const storagePath = await storeOriginal(deps.filesDir, deps.kbId, item.bytes, sha256);
    const registered = await registerUpload(deps.db, { kbId: deps.kbId, fileName: name, sha256, bytes: item.bytes.length, storagePath, actor: deps.actor });
    return [{ fileName: name, outcome: registered.outcome, documentId: registered.doc.id, version: registered.doc.version }];
  } catch (error) {
    if (isIngestError(error)) return [{ fileName: name, outcome: "rejected", error: error.message }];
    throw error;
  }
}

async function acceptArchive(name: string, bytes: Uint8Array, deps: UploadDeps): Promise<UploadResult[]> {
  const { files, rejected } = extractZip(bytes, undefined, deps.maxBytes);
  const results: UploadResult[] = rejected.map((r) => ({ fileName: `${name}/${r.name}`, outcome: "rejected", error: r.error.message }));
  // Files from an archive keep their folder path, so two archives' README.md stay apart.
  for (const file of files) results.push(...(await acceptOne({ fileName: file.name, bytes: file.bytes }, deps)));
  return results;
}
