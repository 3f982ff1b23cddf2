/**
 * The registry of running ingest workers (see ingestWorkers in the schema). A document leased
 * to a registered worker that has gone silent is claimable (claimDocuments); a holder that never
 * registered is judged by its lease alone.
 */
import { and, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type { Database } from "../client";
import { ingestWorkers } from "../schema";

/** A worker that has not beaten for this long is taken for dead; it beats every BEAT_MS. */
export const WORKER_STALE_MS = 20_000;
export const WORKER_BEAT_MS = 5_000;

/** Registers or refreshes a worker; rows of workers silent for a day are dropped meanwhile. */
export async function beatWorker(db: Database, worker: { id: string; hostKey: string; pid: number }): Promise<void> {
  await db
    .insert(ingestWorkers)
    .values({ id: worker.id, hostKey: worker.hostKey, pid: worker.pid })
    .onConflictDoUpdate({ target: ingestWorkers.id, set: { heartbeatAt: sql`now()` } });
  await db.delete(ingestWorkers).where(lt(ingestWorkers.heartbeatAt, sql`now() - interval '1 day'`));
}

export async function removeWorker(db: Database, id: string): Promise<void> {
  await db.delete(ingestWorkers).where(eq(ingestWorkers.id, id));
}

/**
 * Marks the other workers of this machine whose process is gone (killed, crashed) as silent
 * since long ago: their documents become claimable at once. Returns their ids.
 */
export async function markDeadNeighbours(db: Database, self: { id: string; hostKey: string }, isAlive: (pid: number) => boolean): Promise<string[]> {
  const neighbours = await db
    .select({ id: ingestWorkers.id, pid: ingestWorkers.pid })
    .from(ingestWorkers)
    .where(and(eq(ingestWorkers.hostKey, self.hostKey), ne(ingestWorkers.id, self.id), gt(ingestWorkers.heartbeatAt, new Date(0))));
  const dead = neighbours.filter((w) => !isAlive(w.pid)).map((w) => w.id);
  if (dead.length) await db.update(ingestWorkers).set({ heartbeatAt: new Date(0) }).where(inArray(ingestWorkers.id, dead));
  return dead;
}
