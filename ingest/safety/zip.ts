/**
 * A small synchronous ZIP reader. We read the central directory ourselves so
 * caps can be checked before anything is inflated, and inflate with zlib's
 * maxOutputLength so an entry that lies about its size cannot exhaust memory.
 */
import { inflateRawSync } from "node:zlib";
import { IngestError } from "@/ingest/parse/errors";
import { formatMb } from "./limits";

/** Caps for archives (uploaded .zip files and DOCX containers). */
export interface ArchiveLimits {
  /** Most entries (files and folders) an archive may hold. */
  maxEntries: number;
  /** Most bytes all entries may inflate to, together. */
  maxTotalBytes: number;
  /** Highest inflated/compressed ratio, for entries (and archives) over 1 MiB inflated. */
  maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 100,
};

/** One central-directory record. */
export interface ZipEntryInfo {
  name: string;
  isDirectory: boolean;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
/** Ratios are only judged above this size: tiny repetitive XML files legitimately compress 200:1. */
const RATIO_FLOOR = 1024 * 1024;

const utf8 = new TextDecoder("utf-8");

function bad(message: string): IngestError {
  return new IngestError("bad_archive", message);
}

/** True when the bytes start like a ZIP archive (local file header, or an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** List an archive's entries from its central directory, without inflating anything. */
export function readZipDirectory(bytes: Uint8Array): ZipEntryInfo[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad("the ZIP archive is corrupt (no central directory); re-create the archive and upload it again");
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw bad("ZIP64 archives are not supported; split the archive into smaller ones");

  const entries: ZipEntryInfo[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CEN_SIG) {
      throw bad("the ZIP archive is corrupt (bad central directory entry); re-create the archive and upload it again");
    }
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const localHeaderOffset = view.getUint32(p + 42, true);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw bad("ZIP64 archives are not supported; split the archive into smaller ones");
    }
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    entries.push({
      name,
      isDirectory: name.endsWith("/"),
      method,
      encrypted: (flags & 1) === 1,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Check declared sizes against the caps; throws "archive_bomb" naming the cap that was hit. */
export function checkArchiveLimits(entries: ZipEntryInfo[], archiveSize: number, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): void {
  if (entries.length > limits.maxEntries) {
    throw new IngestError("archive_bomb", `archive has ${entries.length} entries, over the limit of ${limits.maxEntries}; split it into smaller archives`);
  }
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > RATIO_FLOOR && e.uncompressedSize > e.compressedSize * limits.maxRatio) {
      throw new IngestError(
        "archive_bomb",
        `archive entry "${e.name}" expands ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1, over the compression ratio limit of ${limits.maxRatio}:1 (possible zip bomb)`,
      );
    }
  }
  if (total > limits.maxTotalBytes) {
    throw new IngestError("archive_bomb", `archive expands to ${formatMb(total)}, over the limit of ${formatMb(limits.maxTotalBytes)} (possible zip bomb)`);
  }
  if (total > RATIO_FLOOR && total > archiveSize * limits.maxRatio) {
    throw new IngestError("archive_bomb", `archive expands ${Math.round(total / archiveSize)}:1, over the compression ratio limit of ${limits.maxRatio}:1 (possible zip bomb)`);
  }
}

/** Inflate one entry; the output can never exceed its (already capped) declared size. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntryInfo): Uint8Array {
  if (entry.encrypted) throw bad(`archive entry "${entry.name}" is encrypted; remove the password and upload it again`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localHeaderOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== LOC_SIG) throw bad(`archive entry "${entry.name}" is corrupt`);
  const dataStart = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw bad(`archive entry "${entry.name}" is truncated`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) throw bad(`archive entry "${entry.name}" is corrupt`);
    return data;
  }
  if (entry.method !== 8) throw bad(`archive entry "${entry.name}" uses compression method ${entry.method}; only stored and deflate are supported`);
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new IngestError("archive_bomb", `archive entry "${entry.name}" inflates beyond its declared size of ${entry.uncompressedSize} bytes (possible zip bomb)`);
    }
    throw bad(`archive entry "${entry.name}" is corrupt and cannot be inflated`);
  }
  if (out.length !== entry.uncompressedSize) throw bad(`archive entry "${entry.name}" is corrupt (size mismatch)`);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
