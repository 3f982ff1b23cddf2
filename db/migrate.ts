/** Applies the drizzle-kit migrations in db/migrations; safe to run from several processes. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { DatabaseHandle } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const MIGRATION_LOCK = 727001;

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  // Two processes starting at once would both try to create the same tables:
  // a session lock on one reserved connection lets one migrate at a time.
  const conn = await handle.sql.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(handle.db, { migrationsFolder });
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    conn.release();
  }
}
