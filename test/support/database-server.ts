/** A fresh database on a PostgreSQL server whose URL's role may create databases, and its removal. */
import postgres from "postgres";

export interface ScratchDatabase {
  /** The server's URL with this database's name. */
  url: string;
  drop(): Promise<void>;
}

export async function createDatabaseOn(serverUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  return {
    url: serverUrl.replace(/\/[^/]+$/, `/${name}`),
    drop: async () => {
      try {
        // WITH (FORCE) ends other sessions, but an owner without pg_signal_backend (an external server)
        // may not end another role's, which can linger a moment after its pool closed: wait for it.
        for (let attempt = 1; ; attempt++) {
          try {
            return void (await admin.unsafe(`drop database if exists ${name} with (force)`));
          } catch (error) {
            if ((error as { code?: string }).code !== "42501" || attempt >= 50) throw error;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        await admin.end();
      }
    },
  };
}
