/** A fresh, migrated database per test file on the suite's shared server. */
import crypto from "node:crypto";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { auditKey } from "../db/audit-chain";
import { setAuditKey } from "../db/audit-key";
import { createDatabaseOn } from "./support/database-server";

// Audit rows in tests are keyed, as in the app.
setAuditKey(auditKey("integration-tests-audit-key"));

export interface TestDatabase extends DatabaseHandle {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const scratch = await createDatabaseOn(inject("databaseUrl"), `t_${crypto.randomBytes(6).toString("hex")}`);
  const handle = openDatabase(scratch.url, { max: 5 });
  await migrateDatabase(handle);
  return {
    ...handle,
    url: scratch.url,
    drop: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}
