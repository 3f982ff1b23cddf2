/**
 * The safety gate every uploaded file passes before it is stored or parsed:
 * name, size, and — for .zip uploads — expansion with bomb caps. It never
 * throws for bad input; each problem becomes a per-file rejection so the rest
 * of a batch goes on.
 */
import { detectType } from "@/ingest/parse/detect";
import { isIngestError, type IngestError } from "@/ingest/parse/errors";
import { extractZip, type ExtractedFile, type RejectedEntry } from "./extract";
import { checkFileSize, DEFAULT_MAX_UPLOAD_BYTES } from "./limits";
import { sanitizeFileName } from "./names";
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from "./zip";

export interface UploadOptions {
  /** Per-file limit (MAX_UPLOAD_MB in bytes); also applied to each file inside a .zip. */
  maxBytes?: number;
  archiveLimits?: ArchiveLimits;
}

export interface PreparedUpload {
  /** Files ready to store and parse; names are sanitised relative paths. */
  files: ExtractedFile[];
  rejected: RejectedEntry[];
}

function asRejection(name: string, err: unknown): RejectedEntry {
  if (!isIngestError(err)) throw err; // a bug, not bad input
  return { name, error: err as IngestError };
}

/** Check one uploaded file; a .zip archive is expanded into its files (DOCX is not). */
export function prepareUpload(input: { fileName: string; bytes: Uint8Array }, opts: UploadOptions = {}): PreparedUpload {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  let name: string;
  try {
    name = sanitizeFileName(input.fileName);
    checkFileSize(input.bytes.length, maxBytes);
  } catch (err) {
    return { files: [], rejected: [asRejection(input.fileName, err)] };
  }
  if (detectType(input.bytes, name) !== "zip") return { files: [{ name, bytes: input.bytes }], rejected: [] };
  try {
    return extractZip(input.bytes, opts.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS, maxBytes);
  } catch (err) {
    return { files: [], rejected: [asRejection(name, err)] };
  }
}
