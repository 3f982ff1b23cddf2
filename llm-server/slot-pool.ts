/** The queue is full; the caller should answer 429 and ask the client to retry later. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("The model server is busy: every generation slot is taken and the queue is full.");
    this.name = "QueueFullError";
  }
}

/** A held slot; release it exactly once when generation has settled (extra calls are ignored). */
export interface SlotLease {
  readonly slot: number;
  release(): void;
}

export interface Reservation {
  /** 0 when a slot was free at once, else the place in the queue (1 = next). */
  position: number;
  lease: Promise<SlotLease>;
}

interface Waiter {
  resolve(lease: SlotLease): void;
  reject(reason: unknown): void;
  detach(): void;
}

/** Fixed slots handed out first come, first served, with a bounded waiting line. */
export class SlotPool {
  private readonly free: number[];
  private readonly waiting: Waiter[] = [];
  private averageHoldMs = 0;

  constructor(
    readonly size: number,
    readonly queueMax: number,
  ) {
    this.free = Array.from({ length: size }, (_, i) => i);
  }

  get busy(): number {
    return this.size - this.free.length;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Takes a free slot or a place in line. Throws QueueFullError at once when the line is full;
   * the lease rejects with the signal's reason if the signal aborts while waiting.
   */
  reserve(signal?: AbortSignal): Reservation {
    signal?.throwIfAborted();
    const slot = this.free.shift();
    if (slot !== undefined) return { position: 0, lease: Promise.resolve(this.lease(slot)) };
    if (this.waiting.length >= this.queueMax) throw new QueueFullError(this.retryAfterSeconds());

    const lease = new Promise<SlotLease>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = { resolve, reject, detach: () => signal?.removeEventListener("abort", onAbort) };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
    return { position: this.waiting.length, lease };
  }

  /** Seconds until a place in line is likely to open, from the average time a slot is held. */
  retryAfterSeconds(): number {
    const perSlotMs = this.averageHoldMs * ((this.waiting.length + 1) / this.size);
    return Math.max(1, Math.ceil(perSlotMs / 1000));
  }

  private lease(slot: number): SlotLease {
    const startedAt = performance.now();
    let released = false;
    return {
      slot,
      release: () => {
        if (released) return;
        released = true;
        const heldMs = performance.now() - startedAt;
        this.averageHoldMs = this.averageHoldMs === 0 ? heldMs : this.averageHoldMs * 0.8 + heldMs * 0.2;
        this.handOver(slot);
      },
    };
  }

  private handOver(slot: number): void {
    const next = this.waiting.shift();
    if (!next) {
      this.free.push(slot);
      return;
    }
    next.detach();
    next.resolve(this.lease(slot));
  }
}
