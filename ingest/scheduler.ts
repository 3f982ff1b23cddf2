/**
 * The ingest worker's bookkeeping, kept apart from any I/O so it can be tested
 * on its own: how many documents hold one of the worker's places, which are
 * still preparing (a group commit lingers for them), how many wait for a
 * commit, whether written rows still need an index fold, when the worker is
 * idle, and when the lease loop should look again.
 *
 * A document holds a place from its claim until its chunks are queued for a
 * group commit, so the next document is parsed while the store commits (and
 * joins the next group). It stays in progress until the commit is done.
 */

export interface SchedulerOptions {
  /** Documents that may hold a place at once. */
  concurrency: number;
  /** Documents that may give up their place while they wait for a group commit (their chunks and vectors stay in memory). */
  maxWaitingCommits: number;
  /** Asks the lease loop to look again; called when a full worker gets room, and when a document finishes. */
  wake(): void;
}

/** One claimed document's hold on the scheduler, from its claim until it finishes. */
export interface DocumentSlot {
  /** Its chunks are queued for a group commit: it stops preparing, and gives up its place unless too many wait already. */
  enterCommitQueue(): void;
  /** Its group commit is over (committed or failed). */
  leaveCommitQueue(): void;
  /**
   * Whether this is part of a bulk ingest: other documents are in progress in this worker,
   * or the queue was not seen empty since the last claim (more may be waiting).
   */
  inBulk(): boolean;
  /** Its rows were written without an index fold: the fold happens once the queue drains. */
  deferFold(): void;
  /** It is finished, whatever the outcome; later calls do nothing. */
  finish(): void;
}

/** What the lease loop does when a claim found nothing. */
export type DrainStep = "fold" | "sleep";

export class IngestScheduler {
  #holding = 0;
  #running = 0;
  #preparing = 0;
  #waitingCommits = 0;
  /** The last claim found nothing, and nothing was claimed since. */
  #queueEmpty = false;
  #unfolded = false;
  #idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SchedulerOptions) {}

  /** Documents holding a place. */
  get holding(): number {
    return this.#holding;
  }
  /** Documents claimed and not yet finished. */
  get running(): number {
    return this.#running;
  }
  /** Documents claimed and not yet at their store write. */
  get preparing(): number {
    return this.#preparing;
  }
  /** Documents whose chunks wait in the group commit. */
  get waitingCommits(): number {
    return this.#waitingCommits;
  }

  /**
   * How many documents to claim now (0: wait). Claims come in groups, one statement each:
   * while documents are still preparing, the loop waits until half the places are free.
   */
  claimRoom(): number {
    const room = this.options.concurrency - this.#holding;
    if (room <= 0) return 0;
    return this.#preparing > 0 && room < Math.ceil(this.options.concurrency / 2) ? 0 : room;
  }

  /** A claimed document takes a place. */
  admit(): DocumentSlot {
    this.#queueEmpty = false;
    this.#holding++;
    this.#running++;
    this.#preparing++;
    let holdsPlace = true;
    let preparing = true;
    let finished = false;
    /** Runs a change of counts, waking the loop when it lets the loop claim again. */
    const change = (update: () => void) => {
      const blocked = this.claimRoom() === 0;
      update();
      if (blocked && this.claimRoom() > 0) this.options.wake();
    };
    const releasePlace = () => {
      if (holdsPlace) this.#holding--;
      holdsPlace = false;
    };
    const donePreparing = () => {
      if (preparing) this.#preparing--;
      preparing = false;
    };
    return {
      enterCommitQueue: () =>
        change(() => {
          if (this.#waitingCommits < this.options.maxWaitingCommits) releasePlace();
          donePreparing();
          this.#waitingCommits++;
        }),
      leaveCommitQueue: () => {
        this.#waitingCommits--;
      },
      inBulk: () => this.#running > 1 || !this.#queueEmpty,
      deferFold: () => {
        this.#unfolded = true;
      },
      finish: () => {
        if (finished) return;
        finished = true;
        donePreparing();
        releasePlace();
        this.#running--;
        this.options.wake(); // always: the loop may now fold, or find the worker idle
      },
    };
  }

  /**
   * The queue had nothing to give. Rows outside the full-text index are
   * searched poorly, so once nothing is in progress the deferred fold comes
   * first; otherwise the queue counts as empty and, with nothing in progress,
   * the worker is idle.
   */
  queueDrained(): DrainStep {
    if (this.#unfolded && this.#running === 0) {
      this.#unfolded = false;
      return "fold";
    }
    this.#queueEmpty = true;
    if (this.#running === 0) this.#idleWaiters.splice(0).forEach((resolve) => resolve());
    return "sleep";
  }

  /** Nothing in progress and the queue had nothing to give. */
  isIdle(): boolean {
    return this.#queueEmpty && this.#running === 0;
  }

  /** Calls `resolve` now if idle, else the next time the queue drains with nothing in progress. */
  whenIdle(resolve: () => void): void {
    if (this.isIdle()) resolve();
    else this.#idleWaiters.push(resolve);
  }

  /** Whether a fold is still owed (clearing it): a stopping worker folds before it goes. */
  takeUnfolded(): boolean {
    const unfolded = this.#unfolded;
    this.#unfolded = false;
    return unfolded;
  }
}
