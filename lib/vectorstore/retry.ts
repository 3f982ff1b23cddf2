/**
 * LanceDB commits are optimistic: when the ingest worker and the web server
 * write the same table at once, one commit can lose ("Retryable commit
 * conflict ... preempted by concurrent transaction"). Such writes are safe to
 * run again, so they are retried with jittered backoff.
 */

const CONFLICT = /commit conflict|preempted by concurrent|please retry|too many concurrent writers/i;
/**
 * Two processes creating a missing table at once: Lance commits the second
 * creation as an overwrite at version 2, which any write based on version 1
 * then cannot follow, and a table listed by name may not be readable yet.
 * Opening again settles both.
 */
const CREATION_RACE = /concurrent transaction Overwrite|was not found/i;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function isCommitConflict(error: unknown): boolean {
  return CONFLICT.test(messageOf(error));
}

export function isCreationRace(error: unknown): boolean {
  return CREATION_RACE.test(messageOf(error));
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  /** Injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface RetryWhen {
  /** Which errors mean "run it again" (default: commit conflicts). */
  retryable?: (error: unknown) => boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run `write`, running it again on retryable errors only. */
export async function withCommitRetry<T>(write: () => Promise<T>, options: RetryOptions & RetryWhen = {}): Promise<T> {
  const retryable = options.retryable ?? isCommitConflict;
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 25;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await sleep(base * 2 ** (attempt - 1) * (0.5 + random()));
    }
  }
}
