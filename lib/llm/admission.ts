/**
 * Turns wait here for the writing model, first come first served. A burst of agents then queues
 * in the web server, where each sees its place and an estimate of the wait, instead of
 * overflowing the model server's queue into "busy" errors; and when the wait would be longer
 * than an agent should stare at an empty answer, the turn quotes its sources instead.
 */

export interface AdmissionOptions {
  /** Answers the model writes at once (its parallel slots). */
  slots: number;
  /** A wait estimated longer than this is not taken: the caller quotes instead. */
  maxWaitMs: number;
  /** One answer's writing time until some have been measured (default 10 s). */
  firstGuessMs?: number;
  now?: () => number;
}

export type AdmissionUpdate =
  | { kind: "waiting"; position: number; etaMs: number }
  | { kind: "admitted"; release: () => void }
  | { kind: "too-long"; position: number; etaMs: number };

interface Waiter {
  /** Wakes the waiter: admitted, or its place changed. */
  wake: () => void;
  admitted: boolean;
}

export class GenerationAdmission {
  readonly #options: Required<AdmissionOptions>;
  #active = 0;
  readonly #queue: Waiter[] = [];
  /** A moving average of measured writing times. */
  #typicalMs: number;

  constructor(options: AdmissionOptions) {
    this.#options = { firstGuessMs: 10_000, now: Date.now, ...options, slots: Math.max(1, Math.floor(options.slots)) };
    this.#typicalMs = this.#options.firstGuessMs;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** The expected wait of the turn at `position` in the queue (1 = next). */
  etaMs(position: number): number {
    return Math.ceil(position / this.#options.slots) * this.#typicalMs;
  }

  /**
   * Updates until the turn is admitted (then `release` must be called when its writing is done),
   * or told the wait is too long. Aborting the signal leaves the queue.
   */
  async *enter(signal?: AbortSignal): AsyncGenerator<AdmissionUpdate> {
    if (this.#active < this.#options.slots && this.#queue.length === 0) {
      yield this.#admit();
      return;
    }
    const first = this.#queue.length + 1;
    if (this.etaMs(first) > this.#options.maxWaitMs) {
      yield { kind: "too-long", position: first, etaMs: this.etaMs(first) };
      return;
    }
    let wake: () => void = () => {};
    const waiter: Waiter = { wake: () => wake(), admitted: false };
    this.#queue.push(waiter);
    const onAbort = () => waiter.wake();
    signal?.addEventListener("abort", onAbort);
    let granted = false;
    try {
      for (;;) {
        const changed = new Promise<void>((resolve) => (wake = resolve));
        if (waiter.admitted) {
          granted = true;
          yield this.#grant();
          return;
        }
        if (signal?.aborted) return;
        const position = this.#queue.indexOf(waiter) + 1;
        yield { kind: "waiting", position, etaMs: this.etaMs(position) };
        await changed;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      const at = this.#queue.indexOf(waiter);
      if (at >= 0) {
        this.#queue.splice(at, 1);
        this.#wakeAll();
      } else if (waiter.admitted && !granted) {
        // Admitted while leaving (aborted): the slot goes to the next in line.
        this.#active--;
        this.#next();
      }
    }
  }

  #admit(): AdmissionUpdate {
    this.#active++;
    return this.#grant();
  }

  /** The slot was taken when the waiter was admitted; this hands out its release. */
  #grant(): AdmissionUpdate {
    const started = this.#options.now();
    let released = false;
    return {
      kind: "admitted",
      release: () => {
        if (released) return;
        released = true;
        this.#typicalMs = 0.8 * this.#typicalMs + 0.2 * Math.max(0, this.#options.now() - started);
        this.#active--;
        this.#next();
      },
    };
  }

  #next(): void {
    const waiter = this.#queue.shift();
    if (waiter) {
      this.#active++;
      waiter.admitted = true;
      waiter.wake();
    }
    this.#wakeAll();
  }

  #wakeAll(): void {
    for (const waiter of this.#queue) waiter.wake();
  }
}
