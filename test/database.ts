/** A fresh, migrated database per test file on the suite's shared server. */
import crypto from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { auditKey } from "../db/audit-chain";
import { setAuditKey } from "../db/audit-key";

// Audit rows in tests are keyed, as in the app.
setAuditKey(auditKey("integration-tests-audit-key"));

export interface TestDatabase extends DatabaseHandle {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("databaseUrl");
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = serverUrl.replace(/\/[^/]+$/, `/${name}`);
  const handle = openDatabase(url, { max: 5 });
  await migrateDatabase(handle);
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
