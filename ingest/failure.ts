/**
 * What a failed attempt means for a document. Bad input stays bad, so it
 * fails at once; any other fault may pass (database, store), so the document
 * goes back to the queue after a backoff until its attempts run out. A lost
 * lease means another worker, or a newer version, owns the row now: it is
 * left alone.
 */
import { isIngestError } from "./parse/errors";
import { LeaseLostError } from "./pipeline";

/** Longest wait before a retry, however many attempts failed. */
export const MAX_RETRY_DELAY_MS = 600_000;

export interface AttemptLimits {
  /** Attempts so far, this one included (the claim counts it). */
  attempts: number;
  maxAttempts: number;
  /** Wait before the second attempt; it doubles for each further one. */
  retryBaseMs: number;
}

export type FailureOutcome =
  | { kind: "lease-lost"; message: string }
  | { kind: "failed"; message: string }
  | { kind: "retry"; delayMs: number; reason: string };

export function classifyFailure(error: unknown, { attempts, maxAttempts, retryBaseMs }: AttemptLimits): FailureOutcome {
  if (error instanceof LeaseLostError) return { kind: "lease-lost", message: error.message };
  if (isIngestError(error)) return { kind: "failed", message: error.message };
  const message = (error as Error).message;
  if (attempts >= maxAttempts) return { kind: "failed", message: `failed after ${attempts} attempts: ${message}` };
  const delayMs = retryDelayMs(attempts, retryBaseMs);
  return { kind: "retry", delayMs, reason: `attempt ${attempts} of ${maxAttempts} failed (${message}); retrying in ${formatDelay(delayMs)}` };
}

/** The wait after attempt `attempts` failed: retryBaseMs, doubling per attempt, capped. */
export function retryDelayMs(attempts: number, retryBaseMs: number): number {
  return Math.min(retryBaseMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
