/**
 * What `npm start` runs under: it keeps each service (database, ingest worker,
 * model server, web server) running, restarting one that dies after a growing
 * delay. When an essential one keeps dying it stops everything and reports a
 * failure, so a service manager notices; a service the app can do without
 * (the local model server) is retried at the longest delay instead.
 */

export interface RunningService {
  /** Settles when the service dies, saying how ("exited (code 1)", "was killed by SIGKILL"). */
  exited: Promise<string>;
  /** Stops it: politely, then by force after graceMs. Resolves once it is gone. */
  stop(graceMs: number): Promise<void>;
}

export interface Service {
  name: string;
  /** Without it the app cannot work: when it keeps dying, everything stops. */
  essential: boolean;
  start(): Promise<RunningService>;
}

export interface SupervisorLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface SupervisorOptions {
  log: SupervisorLog;
  /** Delay before the first restart, doubled after each quick death (default 1 s), up to maxDelayMs (30 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** A run shorter than this counts as a failed restart (default 60 s). */
  stableMs?: number;
  /** Quick deaths in a row after which an essential service stops everything (default 5). */
  maxFailures?: number;
  /** How long each service has to stop before it is killed (default 10 s). */
  graceMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface Supervisor {
  /** Starts the services in order; if one fails to start, stops those started and rejects. */
  start(services: readonly Service[]): Promise<void>;
  /** Stops every service, last started first, and settles `done` with `code`. */
  stop(code: number): Promise<void>;
  /** The exit code once everything has stopped: the one stop() was given, 1 when a service kept dying. */
  done: Promise<number>;
}

interface Entry {
  service: Service;
  running?: RunningService;
  /** A restart under way, which stop() waits for. */
  pending?: Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const o = { firstDelayMs: 1_000, maxDelayMs: 30_000, stableMs: 60_000, maxFailures: 5, graceMs: 10_000, sleep: realSleep, now: Date.now, ...options };
  const entries: Entry[] = [];
  let stopping = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));

  async function stop(code: number): Promise<void> {
    if (stopping) return done.then(() => undefined);
    stopping = true;
    await Promise.all(entries.map((e) => e.pending));
    // Everything but the first service (the database) together, then the database, so
    // the others can still finish their writes while they stop.
    const [first, ...rest] = entries;
    await Promise.all(rest.map((e) => stopOne(e)));
    if (first) await stopOne(first);
    finish(code);
  }

  async function stopOne(entry: Entry): Promise<void> {
    await entry.running?.stop(o.graceMs).catch((error: unknown) => o.log.warn(`Stopping the ${entry.service.name}: ${String(error)}`));
  }

  /** Restarts the service each time it dies, until stop() or until it keeps dying. */
  async function watch(entry: Entry, startedAt: number): Promise<void> {
    const { name, essential } = entry.service;
    let failures = 0;
    for (;;) {
      const how = await entry.running!.exited;
      if (stopping) return;
      failures = o.now() - startedAt < o.stableMs ? failures + 1 : 1;
      if (failures >= o.maxFailures && essential) {
        o.log.warn(`The ${name} ${how}, its ${failures}th quick death in a row; stopping everything.`);
        void stop(1);
        return;
      }
      const delay = Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** (failures - 1));
      o.log.warn(`The ${name} ${how}; restarting it in ${formatSeconds(delay)}.`);
      await o.sleep(delay);
      if (stopping) return;
      startedAt = o.now();
      entry.pending = restart(entry);
      await entry.pending;
      entry.pending = undefined;
    }
  }

  async function restart(entry: Entry): Promise<void> {
    try {
      entry.running = await entry.service.start();
      o.log.info(`Restarted the ${entry.service.name}.`);
    } catch (error) {
      // A failed start counts as a quick death.
      entry.running = { exited: Promise.resolve(`could not start (${error instanceof Error ? error.message : String(error)})`), stop: async () => {} };
    }
  }

  async function start(services: readonly Service[]): Promise<void> {
    for (const service of services) {
      const entry: Entry = { service };
      try {
        entry.running = await service.start();
      } catch (error) {
        await stop(1);
        throw error;
      }
      entries.push(entry);
      if (stopping) {
        // Stopped while this one was starting: stop() has already gone past it.
        await stopOne(entry);
        return;
      }
      void watch(entry, o.now());
    }
  }

  return { start, stop, done };
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
