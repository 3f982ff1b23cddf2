/**
 * Connecting to LanceDB with per-URI read consistency. Lance sizes its CPU pool
 * from LANCE_CPU_THREADS in the process environment, which the process that
 * starts this one sets (lib/env.ts childProcessEnv).
 */
import * as lancedb from "@lancedb/lancedb";

/** A folder path (or file:// URL) rather than object storage or LanceDB Cloud. */
export function isLocalUri(uri: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri.startsWith("file://");
}

export interface ConnectOptions {
  readConsistencySeconds?: number;
  connection?: Partial<lancedb.ConnectionOptions>;
}

/**
 * Reads check for other processes' commits every `readConsistencySeconds`:
 * by default on every read for a folder (cheap, and a deleted knowledge base
 * vanishes from search at once), every 5 s on object storage or Cloud where
 * each check is a request.
 */
export function connectLance(uri: string, options: ConnectOptions = {}): Promise<lancedb.Connection> {
  return lancedb.connect(uri, {
    readConsistencyInterval: options.readConsistencySeconds ?? (isLocalUri(uri) ? 0 : 5),
    ...options.connection,
  });
}
