/**
 * How a process reaches its database: DATABASE_URL when set, otherwise the
 * data folder's embedded PostgreSQL (joined, or started when none runs).
 */
import { openDatabase, type DatabaseHandle } from "./client";
import { loadAuditKey, setAuditKey } from "./audit-key";
import { migrateDatabase } from "./migrate";
import { acquireEmbeddedPostgres, attachEmbeddedPostgres, type RuntimeLog } from "./runtime/embedded";

/** Where the database is: DATABASE_URL, else the embedded server of the data folder (lib/env's settings fit this). */
export interface DatabaseSettings {
  DATABASE_URL?: string;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** The audit key (db/audit-key.ts); default the data folder's audit.key. */
  AUDIT_KEY?: string;
}

export interface ProcessDatabase extends DatabaseHandle {
  /** Where it runs, for messages: "external" or "embedded". */
  kind: "external" | "embedded";
  /** The port of the embedded server this process started or joined (not set when attached or external). */
  embeddedPort?: number;
}

/** Connect, starting or joining the embedded server if needed, and apply migrations. */
export async function connectDatabase(
  env: DatabaseSettings,
  log: RuntimeLog,
  options: { migrate?: boolean; max?: number; attachOnly?: boolean } = {},
): Promise<ProcessDatabase> {
  let url = env.DATABASE_URL;
  let release = async () => {};
  let embeddedPort: number | undefined;
  if (!url) {
    // The web server's parent process holds the registration, so the server only attaches.
    if (options.attachOnly) url = attachEmbeddedPostgres(env.dataDir);
    if (!url) {
      const embedded = await acquireEmbeddedPostgres(env.dataDir, log);
      url = embedded.url;
      release = embedded.release;
      embeddedPort = embedded.port;
    }
  }
  // Audit events this process writes are keyed from here on.
  setAuditKey(loadAuditKey(env, { create: true }));
  const handle = openDatabase(url, { max: options.max });
  if (options.migrate !== false) await migrateDatabase(handle);
  return {
    ...handle,
    kind: env.DATABASE_URL ? "external" : "embedded",
    embeddedPort,
    close: async () => {
      await handle.close();
      await release();
    },
  };
}
