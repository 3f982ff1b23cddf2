/**
 * The data folder holds uploads, vectors, secrets, the audit key and the database: it is private to
 * the user Vouch runs as. Run as root, the embedded PostgreSQL runs as its own user, which may pass
 * through the folder (search, not list) to reach its own.
 */
import fs from "node:fs";
import path from "node:path";

/** Vouch's own folders in it (the PostgreSQL folder is managed by db/runtime/embedded.ts). */
const OWN = ["files", "lancedb", "models", "audit", "tmp"];

export function makeDataFolderPrivate(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  // A folder that belongs to someone else (a shared mount) is theirs to set.
  if (uid === undefined || fs.statSync(dataDir).uid !== uid) return;
  fs.chmodSync(dataDir, uid === 0 ? 0o701 : 0o700);
  for (const name of OWN) {
    const folder = path.join(dataDir, name);
    try {
      const stat = fs.lstatSync(folder);
      if (stat.isDirectory() && stat.uid === uid) fs.chmodSync(folder, 0o700);
    } catch {
      // not made yet: whoever makes it makes it private
    }
  }
}
