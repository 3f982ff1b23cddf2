import { describe, expect, it } from "vitest";
import { auditKey, canonicalJson, GENESIS_HASH, hashAuditEvent, verifyChain, type AuditKey, type ChainRow } from "./audit-chain";

/** `n` rows; those from `keyedFrom` on hashed with `key`. */
function chain(n: number, key?: AuditKey, keyedFrom = 1): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content = { at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorId: null, actorEmail: "a@x.test", action: "t", target: `r${i}`, details: { i } };
    const k = key && i >= keyedFrom ? key : null;
    const hash = hashAuditEvent(content, prev, k);
    rows.push({ ...content, id: i, prevHash: prev, hash, keyId: k?.id ?? null });
    prev = hash;
  }
  return rows;
}
const key = auditKey("a secret kept outside the database");

describe("audit hash chain", () => {
  it("serialises objects with sorted keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}');
  });

  it("gives the same hash whatever the key order of the details", () => {
    const base = { at: new Date(0), actorId: null, actorEmail: null, action: "x", target: null };
    expect(hashAuditEvent({ ...base, details: { a: 1, b: 2 } }, GENESIS_HASH)).toBe(hashAuditEvent({ ...base, details: { b: 2, a: 1 } }, GENESIS_HASH));
  });

  it("verifies an intact chain and finds the first changed, removed or reordered row", () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5, keyed: false });
    const changed = chain(5);
    changed[2]!.target = "forged";
    expect(verifyChain(changed)).toMatchObject({ ok: false, brokenAt: 3, checked: 2 });
    const removed = chain(5).filter((r) => r.id !== 2);
    expect(verifyChain(removed)).toMatchObject({ ok: false, brokenAt: 3, checked: 1 });
    const swapped = chain(3);
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 2, checked: 0 });
  });

  it("keys rows with the audit key: older unkeyed rows still verify, a missing key or a forged unkeyed row is found", () => {
    const keys = new Map([[key.id, key]]);
    expect(verifyChain(chain(5, key, 3), keys)).toEqual({ ok: true, checked: 5, keyed: true });
    expect(verifyChain(chain(5, key, 3))).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringContaining(`audit key ${key.id}, which is not available`) });
    // Someone with only the database re-hashes a row after keyed ones: without the key it can only be unkeyed.
    const forged = chain(4, key);
    const content = { ...forged[3]!, target: "forged" };
    forged[3] = { ...content, keyId: null, hash: hashAuditEvent(content, forged[3]!.prevHash) };
    expect(verifyChain(forged, keys)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringContaining("not keyed but follows keyed rows") });
    // With another key, the hash does not match.
    const other = auditKey("another secret");
    const wrong = chain(3, key).map((r) => ({ ...r, keyId: other.id }));
    expect(verifyChain(wrong, new Map([[other.id, other]]))).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
