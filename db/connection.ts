/**
 * How a process reaches its database: DATABASE_URL when set, otherwise the
 * data folder's embedded PostgreSQL (joined, or started when none runs).
 */
import type { Env } from "@/lib/env";
import { openDatabase, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";
import { acquireEmbeddedPostgres, attachEmbeddedPostgres, type RuntimeLog } from "./runtime/embedded";

export interface ProcessDatabase extends DatabaseHandle {
  /** Where it runs, for messages: "external" or "embedded". */
  kind: "external" | "embedded";
}

/** Connect, starting or joining the embedded server if needed, and apply migrations. */
export async function connectDatabase(
  env: Pick<Env, "DATABASE_URL" | "dataDir">,
  log: RuntimeLog,
  options: { migrate?: boolean; max?: number; attachOnly?: boolean } = {},
): Promise<ProcessDatabase> {
  let url = env.DATABASE_URL;
  let release = async () => {};
  if (!url) {
    // The web server's parent process holds the registration, so the server only attaches.
    if (options.attachOnly) url = attachEmbeddedPostgres(env.dataDir);
    if (!url) {
      const embedded = await acquireEmbeddedPostgres(env.dataDir, log);
      url = embedded.url;
      release = embedded.release;
    }
  }
  const handle = openDatabase(url, { max: options.max });
  if (options.migrate !== false) await migrateDatabase(handle);
  return {
    ...handle,
    kind: env.DATABASE_URL ? "external" : "embedded",
    close: async () => {
      await handle.close();
      await release();
    },
  };
}
