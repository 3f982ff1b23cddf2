/** Expanding uploaded .zip archives into files, with bomb caps and per-entry name checks. */
import { IngestError, isIngestError } from "@/ingest/parse/errors";
import { formatMb } from "./limits";
import { sanitizeFileName } from "./names";
import { checkArchiveLimits, DEFAULT_ARCHIVE_LIMITS, inflateEntry, readZipDirectory, type ArchiveLimits } from "./zip";

export interface ExtractedFile {
  /** Sanitised relative path inside the archive. */
  name: string;
  bytes: Uint8Array;
}

/** An entry that was not extracted, with the reason; the rest of the archive still goes on. */
export interface RejectedEntry {
  name: string;
  error: IngestError;
}

export interface ExtractResult {
  files: ExtractedFile[];
  rejected: RejectedEntry[];
}

/** OS clutter that is never content. */
const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

/**
 * Expand a .zip upload. Throws "archive_bomb"/"bad_archive" for the whole
 * archive (caps exceeded, corrupt); bad names and per-entry limits only
 * reject that entry. Entries over maxFileBytes are rejected as too large.
 */
export function extractZip(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS, maxFileBytes = Number.POSITIVE_INFINITY): ExtractResult {
  const entries = readZipDirectory(bytes);
  checkArchiveLimits(entries, bytes.length, limits);
  const result: ExtractResult = { files: [], rejected: [] };
  let total = 0;
  for (const entry of entries) {
    if (entry.isDirectory || JUNK.test(entry.name)) continue;
    let name: string;
    try {
      name = sanitizeFileName(entry.name);
    } catch (err) {
      if (!isIngestError(err)) throw err;
      result.rejected.push({ name: entry.name, error: err });
      continue;
    }
    if (entry.uncompressedSize > maxFileBytes) {
      result.rejected.push({ name, error: new IngestError("too_large", `"${name}" is ${formatMb(entry.uncompressedSize)}, over the upload limit of ${formatMb(maxFileBytes)}`) });
      continue;
    }
    if (entry.uncompressedSize === 0) {
      result.rejected.push({ name, error: new IngestError("empty_file", "empty file") });
      continue;
    }
    if (entry.encrypted) {
      result.rejected.push({ name, error: new IngestError("bad_archive", `"${name}" is encrypted inside the archive; remove the password and upload it again`) });
      continue;
    }
    const data = inflateEntry(bytes, entry); // bomb-like lies about sizes abort the whole archive
    total += data.length;
    if (total > limits.maxTotalBytes) throw new IngestError("archive_bomb", `archive expands beyond ${formatMb(limits.maxTotalBytes)} (possible zip bomb)`);
    result.files.push({ name, bytes: data });
  }
  return result;
}
