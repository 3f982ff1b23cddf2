/**
 * LanceDB commits are optimistic: when the ingest worker and the web server
 * write the same table at once, one commit can lose ("Retryable commit
 * conflict ... preempted by concurrent transaction"). Such writes are safe to
 * run again, so they are retried with jittered backoff.
 */

const CONFLICT = /commit conflict|preempted by concurrent|please retry|too many concurrent writers/i;

export function isCommitConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return CONFLICT.test(message);
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  /** Injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run `write`, running it again on commit conflicts only. */
export async function withCommitRetry<T>(write: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 25;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isCommitConflict(error)) throw error;
      await sleep(base * 2 ** (attempt - 1) * (0.5 + random()));
    }
  }
}
