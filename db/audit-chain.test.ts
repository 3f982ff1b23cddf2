import { describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH, hashAuditEvent, verifyChain, type ChainRow } from "./audit-chain";

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content = { at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorId: null, actorEmail: "a@x.test", action: "t", target: `r${i}`, details: { i } };
    const hash = hashAuditEvent(content, prev);
    rows.push({ ...content, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("audit hash chain", () => {
  it("serialises objects with sorted keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}');
  });

  it("gives the same hash whatever the key order of the details", () => {
    const base = { at: new Date(0), actorId: null, actorEmail: null, action: "x", target: null };
    expect(hashAuditEvent({ ...base, details: { a: 1, b: 2 } }, GENESIS_HASH)).toBe(hashAuditEvent({ ...base, details: { b: 2, a: 1 } }, GENESIS_HASH));
  });

  it("verifies an intact chain and finds the first changed, removed or reordered row", () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5 });
    const changed = chain(5);
    changed[2]!.target = "forged";
    expect(verifyChain(changed)).toMatchObject({ ok: false, brokenAt: 3, checked: 2 });
    const removed = chain(5).filter((r) => r.id !== 2);
    expect(verifyChain(removed)).toMatchObject({ ok: false, brokenAt: 3, checked: 1 });
    const swapped = chain(3);
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 2, checked: 0 });
  });
});
