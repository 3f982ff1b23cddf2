/** The audit log's hash chain: each row's hash covers its content and the previous row's hash. */
import crypto from "node:crypto";

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

export function hashAuditEvent(content: AuditContent, prevHash: string): string {
  const body = canonicalJson({
    at: content.at.toISOString(),
    actorId: content.actorId,
    actorEmail: content.actorEmail,
    action: content.action,
    target: content.target,
    details: content.details,
    prevHash,
  });
  return crypto.createHash("sha256").update(body).digest("hex");
}

export interface ChainRow extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: number; reason: string };

/** Walks rows in id order; reports the first row whose link or content does not match. */
export function verifyChain(rows: Iterable<ChainRow>, startPrevHash = GENESIS_HASH, startCount = 0): ChainVerdict {
  let prev = startPrevHash;
  let checked = startCount;
  for (const row of rows) {
    if (row.prevHash !== prev) {
      return { ok: false, checked, brokenAt: row.id, reason: `row ${row.id} does not link to the row before it (a row was removed, inserted or reordered)` };
    }
    if (hashAuditEvent(row, row.prevHash) !== row.hash) {
      return { ok: false, checked, brokenAt: row.id, reason: `row ${row.id} was changed after it was written (its hash does not match its content)` };
    }
    prev = row.hash;
    checked++;
  }
  return { ok: true, checked };
}
