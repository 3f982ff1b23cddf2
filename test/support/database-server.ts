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
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
