/** Size checks that run before any parsing. */
import { IngestError } from "@/ingest/parse/errors";

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Bytes for messages: "58.4 MB", "2 KB" or "512 bytes". */
export function formatMb(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** Throws "empty_file" for 0 bytes and "too_large" (naming the limit) over maxBytes. */
export function checkFileSize(size: number, maxBytes: number = DEFAULT_MAX_UPLOAD_BYTES): void {
  if (size === 0) throw new IngestError("empty_file", "empty file");
  if (size > maxBytes) throw new IngestError("too_large", `file is ${formatMb(size)}, over the upload limit of ${formatMb(maxBytes)}`);
}

/** MAX_UPLOAD_MB (as in lib/env.ts) to bytes. */
export function megabytes(mbLimit: number): number {
  return Math.floor(mbLimit * 1024 * 1024);
}
