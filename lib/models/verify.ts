/**
 * Checks model files on disk against the sha256 and size in the manifest.
 * Hashes stream (GGUF files run to gigabytes) and are cached by the file's
 * identity on disk, so the periodic re-check only re-reads files that changed.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { UNKNOWN_SHA256, type Manifest, type ModelEntry } from "./manifest-schema";

export type FileCheckStatus = "ok" | "missing" | "size-mismatch" | "hash-mismatch" | "unrecorded" | "unreadable";

/** The result of checking one manifest file on disk. */
export interface FileCheck {
  modelId: string;
  /** As written in the manifest. */
  path: string;
  absolutePath: string;
  status: FileCheckStatus;
  expectedSha256: string;
  expectedSize: number;
  /** Present whenever the file could be read. */
  actualSha256?: string;
  actualSize?: number;
  /** The operating system's error, for "unreadable". */
  error?: string;
}

/** Remembers a file's sha256 for as long as its size, mtime, ctime and inode are unchanged. */
export interface HashCache {
  get(absolutePath: string, identity: string): string | undefined;
  set(absolutePath: string, identity: string, sha256: string): void;
}

/** An in-memory HashCache holding one entry per path (a changed file replaces its entry). */
export function createHashCache(): HashCache {
  const entries = new Map<string, { identity: string; sha256: string }>();
  return {
    get: (p, identity) => {
      const e = entries.get(p);
      return e && e.identity === identity ? e.sha256 : undefined;
    },
    set: (p, identity, sha256) => void entries.set(p, { identity, sha256 }),
  };
}

/** The sha256 of a file, read as a stream. */
export async function sha256File(absolutePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(absolutePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** True when the manifest holds a real hash: not "unknown" and not the all-zero placeholder. */
export function isRecordedSha256(sha256: string): boolean {
  return sha256 !== UNKNOWN_SHA256 && /^[0-9a-f]{64}$/.test(sha256) && !/^0{64}$/.test(sha256);
}

export interface VerifyOptions {
  /** Reuse hashes between runs (the periodic re-check); without it every file is hashed. */
  cache?: HashCache;
  /** "enabled" (default): enabled models and the base models of enabled adapters. "all": every entry. */
  models?: "enabled" | "all";
  /** Injected for tests that count how often files are hashed. */
  hashFile?: (absolutePath: string) => Promise<string>;
}

/** Which entries need their files checked: enabled models plus the bases they stand on. */
export function modelsToVerify(manifest: Manifest, which: "enabled" | "all" = "enabled"): ModelEntry[] {
  if (which === "all") return manifest.models;
  const byId = new Map(manifest.models.map((m) => [m.id, m]));
  const wanted = new Set<string>();
  for (const m of manifest.models) {
    if (!m.enabled) continue;
    for (let e: ModelEntry | undefined = m; e && !wanted.has(e.id); e = e.baseModel ? byId.get(e.baseModel) : undefined)
      wanted.add(e.id);
  }
  return manifest.models.filter((m) => wanted.has(m.id));
}

/** Check each file of the selected models, one at a time (hashing is I/O- and CPU-bound; the machine is small). */
export async function verifyModelFiles(manifest: Manifest, manifestDir: string, options: VerifyOptions = {}): Promise<FileCheck[]> {
  const hashFile = options.hashFile ?? sha256File;
  const checks: FileCheck[] = [];
  for (const model of modelsToVerify(manifest, options.models)) {
    for (const file of model.files) {
      const absolutePath = path.resolve(manifestDir, file.path);
      const base = { modelId: model.id, path: file.path, absolutePath, expectedSha256: file.sha256, expectedSize: file.size };
      checks.push({ ...base, ...(await checkFile(absolutePath, file, hashFile, options.cache)) });
    }
  }
  return checks;
}

async function checkFile(
  absolutePath: string,
  expected: { sha256: string; size: number },
  hashFile: (p: string) => Promise<string>,
  cache: HashCache | undefined,
): Promise<Pick<FileCheck, "status" | "actualSha256" | "actualSize" | "error">> {
  let info;
  try {
    info = await stat(absolutePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing" };
    return { status: "unreadable", error: (err as Error).message };
  }
  if (!info.isFile()) return { status: "unreadable", error: `${absolutePath} is not a regular file` };
  const recorded = isRecordedSha256(expected.sha256);
  // A size that differs already proves a change; no need to read gigabytes to say so.
  if (recorded && info.size !== expected.size) return { status: "size-mismatch", actualSize: info.size };

  // ctime and inode change on any write or replacement, even when mtime is set back.
  const identity = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
  let actualSha256 = cache?.get(absolutePath, identity);
  if (actualSha256 === undefined) {
    try {
      actualSha256 = await hashFile(absolutePath);
    } catch (err) {
      return { status: "unreadable", error: (err as Error).message, actualSize: info.size };
    }
    cache?.set(absolutePath, identity, actualSha256);
  }
  const status: FileCheckStatus = !recorded ? "unrecorded" : actualSha256 === expected.sha256 ? "ok" : "hash-mismatch";
  return { status, actualSha256, actualSize: info.size };
}
