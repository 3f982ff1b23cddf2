/**
 * An ingest worker's place in the registry: it beats every few seconds, and each beat marks
 * dead the workers of this machine whose process is gone, so their documents are taken over
 * at once instead of when their two-minute leases run out.
 */
import fs from "node:fs";
import os from "node:os";
import type { Database } from "@/db/client";
import { beatWorker, markDeadNeighbours, removeWorker, WORKER_BEAT_MS } from "@/db/queries/ingest-workers";
import { isProcessAlive } from "@/db/runtime/lock";

export interface WorkerRegistration {
  /** Settles after the first beat (a failure is reported, not thrown: leases still expire). */
  ready: Promise<void>;
  leave(): Promise<void>;
}

/**
 * The machine (hostname and boot) and pid namespace: workers that share it see each other's pids.
 * Two containers with one hostname differ in their pid namespace, so neither judges the other.
 */
export function hostKey(): string {
  const read = (fn: () => string) => {
    try {
      return fn().trim();
    } catch {
      return "";
    }
  };
  return [os.hostname(), read(() => fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8")), read(() => fs.readlinkSync("/proc/self/ns/pid"))].join("|");
}

export function registerWorker(
  db: Database,
  workerId: string,
  hooks: { onDeadNeighbours: (ids: string[]) => void; onError: (error: unknown) => void },
): WorkerRegistration {
  const self = { id: workerId, hostKey: hostKey(), pid: process.pid };
  const beat = async () => {
    await beatWorker(db, self);
    const dead = await markDeadNeighbours(db, self, isProcessAlive);
    if (dead.length) hooks.onDeadNeighbours(dead);
  };
  const ready = beat().catch(hooks.onError);
  const timer = setInterval(() => void beat().catch(hooks.onError), WORKER_BEAT_MS);
  return {
    ready,
    async leave() {
      clearInterval(timer);
      await ready;
      await removeWorker(db, workerId).catch(hooks.onError);
    },
  };
}
