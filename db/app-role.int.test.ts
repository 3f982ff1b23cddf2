import crypto from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { grantAppRole } from "./app-role";
import { openDatabase, type DatabaseHandle } from "./client";
import { recordAuditEvent, verifyAuditChain } from "./queries/audit";
import { createUser, SYSTEM_ACTOR } from "./queries/users";

let t: TestDatabase;
let app: DatabaseHandle;
const role = { user: `vouch_app_${crypto.randomBytes(4).toString("hex")}`, password: crypto.randomBytes(12).toString("base64url") };

beforeAll(async () => {
  t = await createTestDatabase();
  const database = new URL(t.url).pathname.slice(1);
  await grantAppRole(t.sql, role, database);
  await grantAppRole(t.sql, role, database); // again, as every start does
  const url = new URL(t.url);
  url.username = role.user;
  url.password = role.password;
  app = openDatabase(url.toString(), { max: 2 });
});
afterAll(async () => {
  await app.close();
  // Its sessions end a moment after close; DROP DATABASE … WITH (FORCE) may not end another role's session for
  // an owner without pg_signal_backend (an external server), so wait for them to be gone.
  for (let i = 0; i < 100; i++) {
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where usename = ${role.user}`;
    if (row!.n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // Dropping the database takes the role's grants with it; then the role can go. (DROP OWNED BY would need
  // the role's own privileges, which an owner that merely has CREATEROLE lacks on an external server.)
  await t.drop();
  const server = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  await server.unsafe(`drop role if exists ${role.user}`);
  await server.end();
});

describe("the app's database role", () => {
  it("reads and writes the app's tables and adds to the audit log", async () => {
    const user = await createUser(app.db, { email: "role@x.test", name: "R", role: "agent", passwordHash: "x", actor: SYSTEM_ACTOR });
    await app.sql`update users set name = 'Renamed' where id = ${user.id}`;
    await recordAuditEvent(app.db, { action: "test.by_app_role" });
    expect((await verifyAuditChain(app.db)).ok).toBe(true);
  });

  it("cannot change, delete or truncate audit events, nor switch the append-only trigger off", async () => {
    await expect(app.sql`delete from audit_events`).rejects.toThrow(/permission denied/);
    await expect(app.sql`update audit_events set action = 'x'`).rejects.toThrow(/permission denied/);
    await expect(app.sql`truncate audit_events`).rejects.toThrow(/permission denied/);
    await expect(app.sql.unsafe("alter table audit_events disable trigger all")).rejects.toThrow(/must be owner/);
    await expect(app.sql.unsafe("set session_replication_role = replica")).rejects.toThrow(/permission denied/);
  });
});
