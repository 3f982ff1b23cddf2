/**
 * Folds calls made close together into one: the first call waits for the
 * calls of the same moment (one turn of the event loop), and calls made while
 * a group is being written form the next group. A worker with many documents
 * in flight pays one statement per group of bookkeeping writes instead of
 * one per document.
 */
export function createBatcher<I, O>(write: (items: I[]) => Promise<O[]>): (item: I) => Promise<O> {
  let waiting: { item: I; resolve(out: O): void; reject(error: unknown): void }[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    const group = waiting;
    waiting = [];
    try {
      const out = await write(group.map((g) => g.item));
      group.forEach((g, i) => g.resolve(out[i]!));
    } catch (error) {
      for (const g of group) g.reject(error);
    }
    if (waiting.length > 0) await flush();
    else scheduled = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => void flush());
    });
}
