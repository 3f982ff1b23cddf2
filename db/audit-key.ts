/**
 * The audit key of this process: read from AUDIT_KEY, else from the data folder's audit.key
 * (created, 0600, on first use). Outside the database on purpose: whoever can only reach the
 * database cannot re-hash the chain. Several machines writing one database need the same key.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { auditKey, type AuditKey } from "./audit-chain";

let current: AuditKey | undefined;

/** The key new audit rows are hashed with in this process (none: plain SHA-256, as in tests). */
export function currentAuditKey(): AuditKey | undefined {
  return current;
}

export function setAuditKey(key: AuditKey | undefined): void {
  current = key;
}

export function auditKeyFile(dataDir: string): string {
  return path.join(dataDir, "audit.key");
}

/** The configured key; `create` makes the data folder's key when there is none yet. */
export function loadAuditKey(settings: { dataDir: string; AUDIT_KEY?: string }, options: { create: boolean }): AuditKey | undefined {
  if (settings.AUDIT_KEY) return auditKey(settings.AUDIT_KEY);
  const file = auditKeyFile(settings.dataDir);
  const read = () => auditKey(Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64"));
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !options.create) return undefined;
  }
  fs.mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error; // another process made it first
  }
  return read();
}
