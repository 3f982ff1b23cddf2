import { describe, expect, it } from "vitest";
import { IngestScheduler } from "./scheduler";

function scheduler(concurrency = 2, maxWaitingCommits = 32) {
  const wakes: number[] = [];
  let n = 0;
  const s = new IngestScheduler({ concurrency, maxWaitingCommits, wake: () => wakes.push(++n) });
  const counts = () => ({ holding: s.holding, running: s.running, preparing: s.preparing, waitingCommits: s.waitingCommits });
  return { s, wakes, counts };
}

describe("IngestScheduler", () => {
  it("has room to claim until `concurrency` documents hold a place", () => {
    const { s, counts } = scheduler(2);
    expect(s.claimRoom()).toBe(2);
    s.admit();
    expect(s.claimRoom()).toBe(1);
    s.admit();
    expect(s.claimRoom()).toBe(0);
    expect(counts()).toEqual({ holding: 2, running: 2, preparing: 2, waitingCommits: 0 });
  });

  it("frees a document's place when it queues for a commit, waking the loop only if the worker was full", () => {
    const { s, wakes, counts } = scheduler(2);
    const a = s.admit();
    a.enterCommitQueue();
    expect(wakes).toEqual([]); // there was room already: nothing to wake for
    expect(counts()).toEqual({ holding: 0, running: 1, preparing: 0, waitingCommits: 1 });
    const b = s.admit();
    s.admit();
    expect(s.claimRoom()).toBe(0);
    b.enterCommitQueue();
    expect(wakes).toEqual([1]);
    expect(s.claimRoom()).toBe(1);
    expect(counts()).toEqual({ holding: 1, running: 3, preparing: 1, waitingCommits: 2 });
    a.leaveCommitQueue();
    b.leaveCommitQueue();
    expect(counts()).toEqual({ holding: 1, running: 3, preparing: 1, waitingCommits: 0 });
  });

  it("keeps a document's place while it waits for a commit once `maxWaitingCommits` already wait", () => {
    const { s, wakes, counts } = scheduler(1, 1);
    const a = s.admit();
    a.enterCommitQueue();
    expect(wakes).toEqual([1]);
    const b = s.admit();
    b.enterCommitQueue();
    expect(wakes).toEqual([1]);
    expect(s.claimRoom()).toBe(0);
    expect(counts()).toEqual({ holding: 1, running: 2, preparing: 0, waitingCommits: 2 });
    b.leaveCommitQueue();
    b.finish();
    expect(s.claimRoom()).toBe(1);
    expect(wakes).toEqual([1, 2]);
  });

  it("finishing frees the place and the preparing count once, and wakes the loop once", () => {
    const { s, wakes, counts } = scheduler(1);
    const a = s.admit();
    a.finish();
    expect(counts()).toEqual({ holding: 0, running: 0, preparing: 0, waitingCommits: 0 });
    expect(wakes).toEqual([1]);
    a.finish();
    expect(counts()).toEqual({ holding: 0, running: 0, preparing: 0, waitingCommits: 0 });
    expect(wakes).toEqual([1]);

    // A document that gave its place up at the commit queue does not give it up twice.
    const b = s.admit();
    const c = s.admit(); // the loop never admits without room; this just shows the counts stay exact
    b.enterCommitQueue();
    b.leaveCommitQueue();
    b.finish();
    expect(counts()).toEqual({ holding: 1, running: 1, preparing: 1, waitingCommits: 0 });
    c.finish();
    expect(counts()).toEqual({ holding: 0, running: 0, preparing: 0, waitingCommits: 0 });
  });

  it("tells a document whether it is part of a bulk ingest: others in progress, or the queue not seen empty", () => {
    const { s } = scheduler(2);
    const a = s.admit();
    expect(a.inBulk()).toBe(true); // nothing says the queue is empty yet
    expect(s.queueDrained()).toBe("sleep");
    expect(a.inBulk()).toBe(false);
    const b = s.admit();
    expect(a.inBulk()).toBe(true);
    expect(s.queueDrained()).toBe("sleep");
    b.enterCommitQueue(); // still in progress while it waits for its commit
    expect(a.inBulk()).toBe(true);
    b.finish();
    expect(a.inBulk()).toBe(false);
  });

  it("claims in groups: while documents prepare, it waits for half the places", () => {
    const { s } = scheduler(4);
    expect(s.claimRoom()).toBe(4);
    const slots = [s.admit(), s.admit(), s.admit(), s.admit()];
    expect(s.claimRoom()).toBe(0);
    slots[0]!.enterCommitQueue();
    expect(s.claimRoom()).toBe(0); // one place free, three still preparing
    slots[1]!.enterCommitQueue();
    expect(s.claimRoom()).toBe(2);
    slots[2]!.finish();
    slots[3]!.finish();
    expect(s.claimRoom()).toBe(4); // nothing preparing: claim whatever room there is
  });

  it("is idle only once the queue drained with nothing in progress", () => {
    const { s } = scheduler(2);
    const calls: string[] = [];
    expect(s.isIdle()).toBe(false); // the queue has not been asked yet
    s.whenIdle(() => calls.push("early"));
    const a = s.admit();
    expect(s.queueDrained()).toBe("sleep");
    expect(s.isIdle()).toBe(false);
    a.finish();
    // A document finishing is not enough: the queue may have more, so the loop asks again first.
    expect(calls).toEqual([]);
    expect(s.isIdle()).toBe(true);
    expect(s.queueDrained()).toBe("sleep");
    expect(calls).toEqual(["early"]);
    s.whenIdle(() => calls.push("now"));
    expect(calls).toEqual(["early", "now"]);
    s.admit();
    expect(s.isIdle()).toBe(false);
  });

  it("folds deferred rows when the queue drains with nothing in progress, before calling the worker idle", () => {
    const { s } = scheduler(2);
    const calls: string[] = [];
    s.whenIdle(() => calls.push("idle"));
    const a = s.admit();
    const b = s.admit();
    a.deferFold();
    a.finish();
    expect(s.queueDrained()).toBe("sleep"); // b is still in progress: the last one folds
    b.deferFold();
    b.finish();
    // isIdle() answers from the last drain (empty, while b ran); waiters already queued wait for the fold.
    expect(s.isIdle()).toBe(true);
    expect(s.queueDrained()).toBe("fold");
    expect(calls).toEqual([]);
    expect(s.queueDrained()).toBe("sleep");
    expect(calls).toEqual(["idle"]);
    expect(s.takeUnfolded()).toBe(false);
  });

  it("hands a fold still owed to a stopping worker once", () => {
    const { s } = scheduler(2);
    expect(s.takeUnfolded()).toBe(false);
    s.admit().deferFold();
    expect(s.takeUnfolded()).toBe(true);
    expect(s.takeUnfolded()).toBe(false);
  });
});
