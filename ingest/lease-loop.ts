/**
 * The ingest worker's lease loop: while there is room it claims the next
 * queued documents (a group at a time) and hands them over, folds the indexes once the queue drains,
 * and otherwise sleeps until new work is announced, a place comes free, or
 * the poll interval passes (an announcement can be missed, e.g. while the
 * LISTEN connection reconnects, so polling stays).
 */
import type { DocumentSlot, IngestScheduler } from "./scheduler";
import type { WorkerLog } from "./worker-log";

/** Lets one sleeper be woken early; a wake with nobody asleep is dropped (the sleeper looks again before it sleeps). */
export interface Wakeup {
  notify(): void;
  /** Resolves at notify(), or after `timeoutMs` when given. */
  wait(timeoutMs?: number): Promise<void>;
}

export function createWakeup(): Wakeup {
  let wake: (() => void) | undefined;
  return {
    notify: () => wake?.(),
    wait: (timeoutMs) =>
      new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const done = () => {
          clearTimeout(timer);
          if (wake === done) wake = undefined;
          resolve();
        };
        if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
        wake = done;
      }),
  };
}

export interface LeaseLoopDeps<T> {
  scheduler: IngestScheduler;
  wakeup: Wakeup;
  /** Settles once the loop may start claiming (the LISTEN is in place, or has failed). */
  ready: Promise<unknown>;
  /** Leases up to `limit` due documents (none when the queue has nothing due). */
  claim(limit: number): Promise<T[]>;
  /** Runs one leased document to its end and records the outcome. */
  process(doc: T, slot: DocumentSlot): Promise<void>;
  /** Brings the indexes up to date; never rejects. */
  foldIndexes(): Promise<unknown>;
  /** Why the embedding model may not run now, or undefined. */
  refusal?: () => string | undefined;
  log: WorkerLog;
  pollMs: number;
  /** How often a refusal is looked at again (default 5 s). */
  refusalRecheckMs?: number;
}

export interface LeaseLoop {
  /** Stops claiming; resolves once the loop has ended and every document in progress has finished. */
  stop(): Promise<void>;
}

export function startLeaseLoop<T>(deps: LeaseLoopDeps<T>): LeaseLoop {
  const { scheduler, wakeup } = deps;
  const inProgress = new Set<Promise<void>>();
  const refused = watchRefusal(deps);
  let stopped = false;

  function start(doc: T) {
    const slot = scheduler.admit();
    const task: Promise<void> = deps.process(doc, slot).finally(() => {
      inProgress.delete(task);
      slot.finish();
    });
    inProgress.add(task);
  }

  async function claim(limit: number): Promise<T[]> {
    try {
      return await deps.claim(limit);
    } catch (error) {
      // Treated like an empty queue: the next poll tries again.
      deps.log.error({ err: error }, "could not claim a document");
      return [];
    }
  }

  /** One turn of the loop: wait out a refusal, wait for room, or claim; with nothing claimed, fold or sleep. */
  async function step() {
    if (refused()) {
      await sleep(deps.refusalRecheckMs ?? 5_000);
    } else if (scheduler.claimRoom() === 0) {
      await wakeup.wait();
    } else {
      const docs = await claim(scheduler.claimRoom());
      for (const doc of docs) start(doc);
      if (docs.length > 0) return;
      if (scheduler.queueDrained() === "fold") await deps.foldIndexes();
      else await wakeup.wait(deps.pollMs);
    }
  }

  const done = (async () => {
    await deps.ready;
    while (!stopped) await step();
  })();

  return {
    async stop() {
      stopped = true;
      wakeup.notify();
      await done;
      await Promise.all(inProgress);
    },
  };
}

/** Returns whether the model is refused now, logging each new reason once (the loop asks every few seconds). */
function watchRefusal({ refusal, log }: Pick<LeaseLoopDeps<unknown>, "refusal" | "log">): () => boolean {
  let last: string | undefined;
  return () => {
    const reason = refusal?.();
    if (reason && reason !== last) log.error({ refusal: reason }, "embedding model refused by the model policy; documents stay queued");
    last = reason || undefined;
    return !!reason;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
