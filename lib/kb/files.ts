/** Original files, stored content-addressed per knowledge base under FILES_DIR (never a user-chosen path). */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export function sha256Bytes(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** Writes the bytes once (write-then-rename) and returns the path relative to filesDir. */
export async function storeOriginal(filesDir: string, kbId: string, bytes: Uint8Array, sha256 = sha256Bytes(bytes)): Promise<string> {
  if (!/^[0-9a-f-]{36}$/.test(kbId)) throw new Error(`not a knowledge base id: ${kbId}`);
  const relative = path.join(kbId, sha256);
  const target = path.join(filesDir, relative);
  try {
    await fs.access(target);
    return relative; // same bytes already stored
  } catch {
    // Written under a unique name, then renamed: a crash never leaves a partial file under the final name.
    // Only this app's user may read what was uploaded (files 0600, their folders 0700).
    const temp = `${target}.${process.pid}.${crypto.randomUUID()}.tmp`;
    await fs.writeFile(temp, bytes, { mode: 0o600 }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 }); // the knowledge base's first file
      await fs.writeFile(temp, bytes, { mode: 0o600 });
    });
    await fs.rename(temp, target);
    return relative;
  }
}

export function originalPath(filesDir: string, relative: string): string {
  const full = path.resolve(filesDir, relative);
  if (!full.startsWith(path.resolve(filesDir) + path.sep)) throw new Error("stored path escapes the files folder");
  return full;
}

export async function readOriginal(filesDir: string, relative: string): Promise<Uint8Array> {
  return new Uint8Array(await fs.readFile(originalPath(filesDir, relative)));
}

export async function removeOriginal(filesDir: string, relative: string): Promise<void> {
  await fs.rm(originalPath(filesDir, relative), { force: true });
}

export async function removeKnowledgeBaseFiles(filesDir: string, kbId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(kbId)) return;
  await fs.rm(path.join(filesDir, kbId), { recursive: true, force: true });
}
