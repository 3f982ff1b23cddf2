/**
 * Checkpoints of the audit log's head, appended to a file outside the database: the newest
 * event's id and hash and the number of events, MAC'd with the audit key. A chain whose newest
 * events were deleted still links; a checkpoint written before the deletion says they existed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { canonicalJson, type AuditKey } from "./audit-chain";

export interface AuditCheckpoint {
  at: string;
  lastId: number;
  count: number;
  hash: string;
  keyId: string;
  mac: string;
}

export function checkpointFile(settings: { dataDir: string; AUDIT_CHECKPOINTS?: string }): string {
  return settings.AUDIT_CHECKPOINTS ?? path.join(settings.dataDir, "audit", "checkpoints.jsonl");
}

const macOf = (c: Omit<AuditCheckpoint, "mac">, key: AuditKey) => crypto.createHmac("sha256", key.secret).update(canonicalJson(c)).digest("hex");

export function appendCheckpoint(file: string, head: { lastId: number; count: number; hash: string }, key: AuditKey, now = new Date()): AuditCheckpoint {
  const body = { at: now.toISOString(), lastId: head.lastId, count: head.count, hash: head.hash, keyId: key.id };
  const checkpoint = { ...body, mac: macOf(body, key) };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  return checkpoint;
}

/** The newest checkpoint whose MAC holds (a forged or damaged line is counted, not trusted). */
export function newestCheckpoint(file: string, keys: ReadonlyMap<string, AuditKey>): { checkpoint?: AuditCheckpoint; rejected: number } {
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { rejected: 0 };
  }
  let rejected = 0;
  let newest: AuditCheckpoint | undefined;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const { mac, ...body } = JSON.parse(line) as AuditCheckpoint;
      const key = keys.get(body.keyId);
      if (!key || macOf(body, key) !== mac) throw new Error("bad mac");
      if (!newest || body.lastId >= newest.lastId) newest = { ...body, mac };
    } catch {
      rejected++;
    }
  }
  return { checkpoint: newest, rejected };
}
