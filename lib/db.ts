import "server-only";
/** The web server's database connection, opened once per process. */
import { connectDatabase, type ProcessDatabase } from "@/db/connection";
import type { Database } from "@/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";

const processDatabase = processSingleton<ProcessDatabase>("db", () => {
  const log = logger();
  return connectDatabase(getEnv(), { info: (m) => log.info(m), warn: (m) => log.warn(m) }, { attachOnly: true });
});

export async function getDb(): Promise<Database> {
  return (await processDatabase()).db;
}

export async function getSql() {
  return (await processDatabase()).sql;
}
