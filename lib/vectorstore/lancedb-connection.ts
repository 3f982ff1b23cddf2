/** Connecting to LanceDB: the CPU pool workaround and per-URI read consistency. */
import * as lancedb from "@lancedb/lancedb";

export const DEFAULT_CPU_THREADS = 4;

/**
 * Lance sizes its CPU pool as cores − 2 (1 thread on 2 cores), and with one
 * thread its full-text index builder deadlocks past a few thousand rows
 * (lancedb/lancedb#3568). Lance reads LANCE_CPU_THREADS from the process
 * environment when the pool first starts, so this must run before the first
 * LanceDB operation in the process; later calls change nothing.
 */
export function setLanceCpuThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 2) throw new Error(`cpuThreads must be an integer of at least 2 (got ${threads})`);
  process.env.LANCE_CPU_THREADS = String(threads);
}

/** A folder path (or file:// URL) rather than object storage or LanceDB Cloud. */
export function isLocalUri(uri: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri.startsWith("file://");
}

export interface ConnectOptions {
  cpuThreads?: number;
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
  setLanceCpuThreads(options.cpuThreads ?? DEFAULT_CPU_THREADS);
  return lancedb.connect(uri, {
    readConsistencyInterval: options.readConsistencySeconds ?? (isLocalUri(uri) ? 0 : 5),
    ...options.connection,
  });
}
