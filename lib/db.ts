import "server-only";
/** The web server's database connection, opened once per process. */
import { connectDatabase, type ProcessDatabase } from "@/db/connection";
import type { Database } from "@/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

const globalForDb = globalThis as unknown as { vouchDb?: Promise<ProcessDatabase> };

function open(): Promise<ProcessDatabase> {
  const log = logger();
  return connectDatabase(getEnv(), { info: (m) => log.info(m), warn: (m) => log.warn(m) }, { attachOnly: true });
}

export async function getDb(): Promise<Database> {
  globalForDb.vouchDb ??= open().catch((error) => {
    globalForDb.vouchDb = undefined; // let the next request try again
    throw error;
  });
  return (await globalForDb.vouchDb).db;
}

export async function getSql() {
  await getDb();
  return (await globalForDb.vouchDb!).sql;
}
