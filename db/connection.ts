/**
 * How a process reaches its database: DATABASE_URL when set, otherwise the
 * data folder's embedded PostgreSQL (joined, or started when none runs).
 */
import { openDatabase, type DatabaseHandle } from "./client";
import { loadAuditKey, setAuditKey } from "./audit-key";
import { migrateDatabase } from "./migrate";
import { grantAppRole } from "./app-role";
import { acquireEmbeddedPostgres, attachEmbeddedPostgres, type RuntimeLog } from "./runtime/embedded";

/** Where the database is: DATABASE_URL, else the embedded server of the data folder (lib/env's settings fit this). */
export interface DatabaseSettings {
  DATABASE_URL?: string;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** The audit key (db/audit-key.ts); default the data folder's audit.key. */
  AUDIT_KEY?: string;
  /** With DATABASE_URL: a role that owns the tables, for migrations; DATABASE_URL's role is then granted only what the app needs. */
  DATABASE_OWNER_URL?: string;
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
  let target: Target | undefined = env.DATABASE_URL ? externalTarget(env.DATABASE_URL, env.DATABASE_OWNER_URL) : undefined;
  let release = async () => {};
  let embeddedPort: number | undefined;
  if (!target) {
    // The web server's parent process holds the registration, so the server only attaches.
    const attached = options.attachOnly ? attachEmbeddedPostgres(env.dataDir) : undefined;
    if (attached) target = { ownerUrl: attached.url, app: attached.app };
    else {
      const embedded = await acquireEmbeddedPostgres(env.dataDir, log);
      target = { ownerUrl: embedded.url, app: embedded.app };
      release = embedded.release;
      embeddedPort = embedded.port;
    }
  }
  // Audit events this process writes are keyed from here on.
  setAuditKey(loadAuditKey(env, { create: true }));
  if (options.migrate !== false) await migrateAsOwner(target);
  const handle = openDatabase(target.app?.url ?? target.ownerUrl, { max: options.max });
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

/** Where the owner migrates and where the app connects (the same URL when no separate owner is known). */
interface Target {
  ownerUrl: string;
  app?: { url: string; user: string; password?: string; database: string };
}

function externalTarget(url: string, ownerUrl: string | undefined): Target {
  if (!ownerUrl || ownerUrl === url) return { ownerUrl: url };
  const parsed = new URL(url);
  return { ownerUrl, app: { url, user: decodeURIComponent(parsed.username), database: decodeURIComponent(parsed.pathname.slice(1)) } };
}

async function migrateAsOwner(target: Target): Promise<void> {
  const owner = openDatabase(target.ownerUrl, { max: 2 });
  try {
    await migrateDatabase(owner);
    // After every migration, so tables a migration added are granted too.
    if (target.app) await grantAppRole(owner.sql, target.app, target.app.database);
  } finally {
    await owner.close();
  }
}
