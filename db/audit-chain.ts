/**
 * The audit log's hash chain: each row's hash covers its content and the previous row's hash.
 * Rows are keyed (HMAC-SHA256 with a key kept outside the database, named by its id), so
 * someone with only database access cannot rewrite the chain after deleting or changing rows.
 * Rows written before keys existed carry no key id and a plain SHA-256.
 */
import crypto from "node:crypto";

export interface AuditKey {
  /** A fingerprint of the secret, stored on each row it hashed. */
  id: string;
  secret: Buffer;
}

export function auditKey(secret: string | Buffer): AuditKey {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, "utf8");
  return { id: crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 12), secret: bytes };
}

export const GENESIS_HASH = "0".repeat(64);

export interface AuditContent {
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return JSON.stringify(value ?? null);
}

export function hashAuditEvent(content: AuditContent, prevHash: string, key?: AuditKey | null): string {
  const body = canonicalJson({
    at: content.at.toISOString(),
    actorId: content.actorId,
    actorEmail: content.actorEmail,
    action: content.action,
    target: content.target,
    details: content.details,
    prevHash,
  });
  return key ? crypto.createHmac("sha256", key.secret).update(body).digest("hex") : crypto.createHash("sha256").update(body).digest("hex");
}

export interface ChainRow extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
  /** The key that hashed it, or null for a row from before keys. */
  keyId?: string | null;
}

export type ChainVerdict =
  | { ok: true; checked: number; keyed: boolean }
  | { ok: false; checked: number; brokenAt: number; reason: string };

/** Where a walk resumes (paging): the last hash, rows checked, and whether a keyed row was met. */
export interface ChainPosition {
  prevHash: string;
  checked: number;
  keyed: boolean;
}

export const CHAIN_START: ChainPosition = { prevHash: GENESIS_HASH, checked: 0, keyed: false };

/** Walks rows in id order; reports the first row whose link, key or content does not match. */
export function verifyChain(rows: Iterable<ChainRow>, keys: ReadonlyMap<string, AuditKey> = new Map(), from: ChainPosition = CHAIN_START): ChainVerdict {
  let { prevHash: prev, checked, keyed } = from;
  const broken = (row: ChainRow, reason: string): ChainVerdict => ({ ok: false, checked, brokenAt: row.id, reason });
  for (const row of rows) {
    if (row.prevHash !== prev) return broken(row, `row ${row.id} does not link to the row before it (a row was removed, inserted or reordered)`);
    const key = row.keyId ? keys.get(row.keyId) : null;
    if (row.keyId && !key) return broken(row, `row ${row.id} was hashed with audit key ${row.keyId}, which is not available here (set AUDIT_KEY, or restore the data folder's audit.key)`);
    // Once rows are keyed, an unkeyed row was written by someone without the key.
    if (!row.keyId && keyed) return broken(row, `row ${row.id} is not keyed but follows keyed rows (written without the audit key)`);
    if (hashAuditEvent(row, row.prevHash, key) !== row.hash) return broken(row, `row ${row.id} was changed after it was written (its hash does not match its content)`);
    keyed ||= !!row.keyId;
    prev = row.hash;
    checked++;
  }
  return { ok: true, checked, keyed };
}
