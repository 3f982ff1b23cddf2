/**
 * Periodic re-check of model files: a file changed on disk after start must
 * refuse its role. The watcher only detects and reports; the caller re-runs
 * the policy and records the audit event in `onChange`.
 */
import type { FileCheck } from "./verify";

/** What changed between two verification runs. */
export interface ModelFilesChange {
  previous: FileCheck[];
  current: FileCheck[];
  /** Checks in `current` whose status or observed hash/size differ from before, or that are new. */
  changed: FileCheck[];
  /** Checks that were in `previous` and are gone (the manifest no longer lists the file). */
  removed: FileCheck[];
}

export interface ModelWatcherOptions {
  /** Milliseconds between re-checks; 0 disables the timer (checkNow still works). */
  intervalMs: number;
  /** Usually `() => verifyModelFiles(manifest, dir, { cache })` with a shared cache. */
  verify: () => Promise<FileCheck[]>;
  onChange: (change: ModelFilesChange) => void | Promise<void>;
  /** The checks made at start, so the first re-check compares against them. */
  initial?: FileCheck[];
  /** A failed re-check (or onChange) is reported here and the timer keeps going. */
  onError?: (err: unknown) => void;
}

export interface ModelWatcher {
  start(): void;
  stop(): void;
  /** Run one re-check now (not overlapping a running one) and return the current checks. */
  checkNow(): Promise<FileCheck[]>;
  /** The latest checks, or undefined before the first run. */
  readonly last: FileCheck[] | undefined;
}

const checkKey = (c: FileCheck) => `${c.modelId}\u0000${c.path}`;
const observed = (c: FileCheck) => `${c.status}|${c.actualSha256 ?? ""}|${c.actualSize ?? ""}|${c.expectedSha256}`;

/** Compare two runs of verifyModelFiles. */
export function diffFileChecks(previous: FileCheck[], current: FileCheck[]): Pick<ModelFilesChange, "changed" | "removed"> {
  const before = new Map(previous.map((c) => [checkKey(c), c]));
  const now = new Set(current.map(checkKey));
  const changed = current.filter((c) => {
    const old = before.get(checkKey(c));
    return old === undefined || observed(old) !== observed(c);
  });
  return { changed, removed: previous.filter((c) => !now.has(checkKey(c))) };
}

/** Create a watcher; call start() once the start-up verification is done. */
export function createModelWatcher(options: ModelWatcherOptions): ModelWatcher {
  let last = options.initial;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<FileCheck[]> | undefined;
  let started = false;

  const runOnce = async (): Promise<FileCheck[]> => {
    const current = await options.verify();
    const previous = last;
    last = current;
    if (previous !== undefined) {
      const { changed, removed } = diffFileChecks(previous, current);
      if (changed.length > 0 || removed.length > 0) await options.onChange({ previous, current, changed, removed });
    }
    return current;
  };

  const checkNow = () => {
    running ??= runOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (!started || options.intervalMs <= 0 || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      checkNow()
        .catch((err: unknown) => options.onError?.(err))
        .finally(schedule);
    }, options.intervalMs);
    // A pending re-check must not keep a finished process alive.
    timer.unref?.();
  };

  return {
    start() {
      if (started) return;
      started = true;
      schedule();
    },
    stop() {
      started = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    checkNow,
    get last() {
      return last;
    },
  };
}
