import type { ServerResponse } from "node:http";

/**
 * Writes SSE frames off the token loop's critical path, at most one socket write per
 * `minIntervalMs`. Each token stays its own SSE event; only the TCP writes are grouped, which
 * matters when a small model makes a token in under a millisecond: a write costs the server and
 * the reader a wake-up and a syscall each (about 0.2 ms of CPU apiece on a 2-core VM), more than the token.
 *
 * Writes happen two setImmediate hops after the token that finds the interval elapsed. By then
 * node-llama-cpp has handed the next token's decode to its worker thread (at once with one
 * sequence per context, in its own setImmediate with several), so the write overlaps the model's
 * work instead of delaying it, and needs no wake-up of its own (a timer would wake the event loop
 * at an arbitrary moment). A timer only bounds how long a frame waits when no further token comes
 * to carry it out. The first frame after a quiet spell goes out without waiting.
 */
export class SseWriter {
  private pending: string[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWrite = -Infinity;
  private readonly flushNow = () => this.flush();
  private readonly flushAfterNextDispatch = () => {
    this.immediate = setImmediate(this.flushNow);
  };

  constructor(
    private readonly res: ServerResponse,
    private readonly minIntervalMs = 0,
  ) {}

  /** Queues a frame to go out with the next `send` (no write of its own). */
  queue(data: unknown): void {
    this.pending.push(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** Queues a serialised frame; it goes out within a turn or two of the event loop, or within `minIntervalMs`. */
  send(frame: string): void {
    this.pending.push(frame);
    if (this.immediate) return;
    if (performance.now() - this.lastWrite >= this.minIntervalMs) this.immediate = setImmediate(this.flushAfterNextDispatch);
    // Tokens faster than the interval: the first one after it elapses carries this frame out;
    // the timer fires only if none comes, so no frame waits longer than the interval.
    else this.timer ??= setTimeout(this.flushNow, this.minIntervalMs);
  }

  /** Sends what is queued plus `data`, then `last`, and ends the response, in one write. */
  end(data: unknown, last = ""): void {
    this.queue(data);
    this.cancel();
    const text = this.pending.join("") + last;
    this.pending = [];
    if (!this.res.destroyed) this.res.end(text);
  }

  private flush(): void {
    this.cancel();
    if (this.pending.length === 0) return;
    const data = this.pending.join("");
    this.pending = [];
    if (!this.res.destroyed) this.res.write(data);
    this.lastWrite = performance.now();
  }

  private cancel(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
  }
}
