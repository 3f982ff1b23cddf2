/**
 * File names come from users (browser uploads, folder drops, zip entries).
 * We keep a clean relative path for display and reject anything that could
 * escape a storage folder or hide its real name.
 */
import { IngestError } from "@/ingest/parse/errors";

/** Longest name segment, in UTF-8 bytes, that common file systems accept. */
const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_CHARS = 1024;

// C0/C1 controls and DEL; bidi overrides and zero-width characters can disguise "evil.exe" as "exe.pdf".
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DISGUISE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

const reject = (raw: string, why: string) =>
  new IngestError("bad_file_name", `file name ${JSON.stringify(raw)} ${why}; rename the file and upload it again`);

/**
 * A safe relative path ("folder/file.pdf") from a user-supplied name.
 * Backslashes become "/", "./" and duplicate slashes are dropped, Unicode is NFC-normalised.
 * Throws "bad_file_name" for control or disguising characters, "..", absolute or drive paths.
 */
export function sanitizeFileName(raw: string): string {
  if (CONTROL.test(raw)) return throwing(reject(raw, "contains control characters"));
  if (DISGUISE.test(raw)) return throwing(reject(raw, "contains invisible or text-direction characters"));
  const name = raw.normalize("NFC").trim().replace(/\\/g, "/");
  if (name === "") return throwing(reject(raw, "is empty"));
  if (name.startsWith("/") || /^[a-z]:/i.test(name)) return throwing(reject(raw, "is an absolute path"));
  const segments = name.split("/").map((s) => s.trim()).filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s === "..")) return throwing(reject(raw, 'contains a path traversal ("..") segment'));
  if (segments.length === 0) return throwing(reject(raw, "has no file name"));
  if (segments.some((s) => Buffer.byteLength(s, "utf8") > MAX_SEGMENT_BYTES)) return throwing(reject(raw, `has a part longer than ${MAX_SEGMENT_BYTES} bytes`));
  const clean = segments.join("/");
  if (clean.length > MAX_PATH_CHARS) return throwing(reject(raw, `is longer than ${MAX_PATH_CHARS} characters`));
  return clean;
}

function throwing(err: IngestError): never {
  throw err;
}

/** The last segment of a sanitised name ("folder/file.pdf" → "file.pdf"). */
export function baseName(safeName: string): string {
  return safeName.slice(safeName.lastIndexOf("/") + 1);
}

