export { sanitizeFileName, baseName } from "./names";
export { checkFileSize, formatMb, megabytes, DEFAULT_MAX_UPLOAD_BYTES } from "./limits";
export { extractZip, type ExtractedFile, type ExtractResult, type RejectedEntry } from "./extract";
export {
  DEFAULT_ARCHIVE_LIMITS,
  checkArchiveLimits,
  inflateEntry,
  looksLikeZip,
  readZipDirectory,
  type ArchiveLimits,
  type ZipEntryInfo,
} from "./zip";
export { IngestError, isIngestError, type IngestErrorCode } from "@/ingest/parse/errors";
