import type { ServerResponse } from "node:http";

/**
 * Writes SSE frames off the token loop's critical path, at most one socket write per
 * `minIntervalMs`. Each token stays its own SSE event; only the TCP writes are grouped, which
 * matters when a small model makes a token in under a millisecond (a write per token then
 * costs more CPU than the token). The first write after a quiet spell goes out at once.
 */
export class SseWriter {
  private pending: string[] = [];
  private scheduled = false;
  private lastWrite = -Infinity;

  constructor(
    private readonly res: ServerResponse,
    private readonly minIntervalMs = 0,
  ) {}

  /** Queues a frame to go out with the next `send` (no write of its own). */
  queue(data: unknown): void {
    this.pending.push(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** Queues a serialised frame and schedules a write: after this turn of the event loop, or when the interval allows. */
  send(frame: string): void {
    this.pending.push(frame);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastWrite + this.minIntervalMs - performance.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  /** Sends what is queued plus `data` now, and ends the response with `last`. */
  end(data: unknown, last?: string): void {
    this.queue(data);
    this.flush();
    if (!this.res.destroyed) this.res.end(last);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const data = this.pending.join("");
    this.pending = [];
    if (!this.res.destroyed) this.res.write(data);
    this.lastWrite = performance.now();
  }
}
