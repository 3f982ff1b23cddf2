import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appendCheckpoint, newestCheckpoint } from "../audit-checkpoints";
import { hashAuditEvent } from "../audit-chain";
import { currentAuditKey } from "../audit-key";
import { auditHead, insertAuditEvent, listAuditEvents, matchesCheckpoint, recordAuditEvent, verifyAuditChain } from "./audit";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("audit log", () => {
  it("chains events written concurrently and verifies them", async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => recordAuditEvent(t.db, { actorEmail: `u${i}@x.test`, action: "test.event", target: `t${i}`, details: { i, nested: { b: 1, a: [1, 2] } } })),
    );
    const verdict = await verifyAuditChain(t.db, { pageSize: 7 }); // small pages exercise the paging
    expect(verdict).toEqual({ ok: true, checked: 25, keyed: true });
  });

  it("writes the event in the caller's transaction, so a rollback leaves no event", async () => {
    const before = (await listAuditEvents(t.db, { filter: {}, limit: 1, offset: 0 })).total;
    await expect(
      t.db.transaction(async (tx) => {
        await insertAuditEvent(tx, { action: "test.rolled_back" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await listAuditEvents(t.db, { filter: {}, limit: 1, offset: 0 })).total).toBe(before);
  });

  it("refuses updates and deletes: the table is append-only", async () => {
    await expect(t.sql`update audit_events set action = 'x' where id = 1`).rejects.toThrow(/append-only/);
    await expect(t.sql`delete from audit_events where id = 1`).rejects.toThrow(/append-only/);
  });

  it("filters by actor, action and time, newest first", async () => {
    const { rows, total } = await listAuditEvents(t.db, { filter: { actor: "u1", action: "test." }, limit: 100, offset: 0 });
    // u1, u10..u19 match the actor substring "u1"
    expect(total).toBe(11);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
    const none = await listAuditEvents(t.db, { filter: { from: new Date(Date.now() + 3600_000) }, limit: 10, offset: 0 });
    expect(none.total).toBe(0);
  });

  it("reports the first tampered row, and a removed row", async () => {
    // Tampering needs the append-only trigger off, as an attacker with database access could do.
    await tampering(t.sql, (tx) => tx`update audit_events set details = '{"i": 999}' where id = 5`);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: 5, checked: 4 });
    await tampering(t.sql, (tx) => tx`delete from audit_events where id in (3, 5)`);
    const verdict = await verifyAuditChain(t.db);
    expect(verdict).toMatchObject({ ok: false, brokenAt: 4, checked: 2 });
    if (!verdict.ok) expect(verdict.reason).toMatch(/does not link/);
  });

  it("finds the newest events deleted by someone with database access, by the checkpoint written before", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-checkpoints-"));
    const file = path.join(dir, "checkpoints.jsonl");
    const key = currentAuditKey()!;
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 6; i++) await recordAuditEvent(fresh.db, { action: "test.tail", target: `e${i}` });
      appendCheckpoint(file, (await auditHead(fresh.db))!, key);
      // The probe of issue 20: the trigger switched off, the newest events deleted. The chain still links.
      await tampering(fresh.sql, (tx) => tx`delete from audit_events where id > 3`);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: true, checked: 3 });
      const { checkpoint } = newestCheckpoint(file, new Map([[key.id, key]]));
      expect(await matchesCheckpoint(fresh.db, checkpoint!)).toMatch(/event 6, the newest when the checkpoint was written, is gone/);
      // Nor can the rows be put back by hand without the key: an unkeyed row after keyed ones is found.
      await tampering(fresh.sql, async (tx) => {
        const [last] = await tx`select hash from audit_events order by id desc limit 1`;
        const content = { at: new Date(), actorId: null, actorEmail: null, action: "test.tail", target: "forged", details: {} };
        await tx`insert into audit_events (id, at, action, target, details, prev_hash, hash) values (4, ${content.at.toISOString()}::timestamptz, 'test.tail', 'forged', '{}', ${last!.hash}, ${hashAuditEvent(content, last!.hash)})`;
      });
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringContaining("not keyed but follows keyed rows") });
    } finally {
      await fresh.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Runs `change` with the append-only trigger off, as the tables' owner could (an attacker with the
 * owner's credentials): no superuser needed, so it works on the embedded server and an external one.
 */
async function tampering(sql: postgres.Sql, change: (tx: postgres.TransactionSql) => Promise<unknown>) {
  await sql.begin(async (tx) => {
    await tx`alter table audit_events disable trigger audit_events_no_update`;
    await change(tx);
    await tx`alter table audit_events enable trigger audit_events_no_update`;
  });
}
