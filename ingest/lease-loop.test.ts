import { describe, expect, it } from "vitest";
import { createWakeup, startLeaseLoop, type LeaseLoopDeps } from "./lease-loop";
import { IngestScheduler, type DocumentSlot } from "./scheduler";

/** Lets pending promise callbacks and immediates run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

/** A loop over an in-memory queue whose documents finish only when the test says so. */
function harness(options: { concurrency?: number; docs?: string[] } & Partial<LeaseLoopDeps<string>> = {}) {
  const { concurrency = 2, docs = [], ...overrides } = options;
  const wakeup = createWakeup();
  const scheduler = new IngestScheduler({ concurrency, maxWaitingCommits: 32, wake: wakeup.notify });
  const queue = [...docs];
  const events: string[] = [];
  const errors: { obj: object; msg: string }[] = [];
  const docsInProgress = new Map<string, { slot: DocumentSlot; finish(): void }>();
  const log = { info: () => {}, warn: () => {}, error: (obj: object, msg: string) => void errors.push({ obj, msg }) };
  const loop = startLeaseLoop<string>({
    scheduler,
    wakeup,
    ready: Promise.resolve(),
    claim: async (limit) => queue.splice(0, limit),
    process: (doc, slot) =>
      new Promise<void>((resolve) => {
        events.push(`start ${doc}`);
        docsInProgress.set(doc, { slot, finish: resolve });
      }).then(() => void events.push(`end ${doc}`)),
    foldIndexes: async () => void events.push("fold"),
    log,
    // Long enough that only a wake moves a sleeping loop within a test.
    pollMs: 60_000,
    ...overrides,
  });
  const doc = (id: string) => docsInProgress.get(id)!;
  const idle = () => new Promise<void>((resolve) => scheduler.whenIdle(resolve)).then(() => void events.push("idle"));
  return { loop, wakeup, scheduler, queue, events, errors, doc, idle };
}

describe("startLeaseLoop", () => {
  it("claims while there is room, and again as soon as a document gives up its place or finishes", async () => {
    const h = harness({ concurrency: 2, docs: ["a", "b", "c", "d", "e"] });
    await settle();
    expect(h.events).toEqual(["start a", "start b"]);
    h.doc("a").slot.enterCommitQueue();
    await settle();
    expect(h.events).toEqual(["start a", "start b", "start c"]);
    h.doc("b").finish();
    await settle();
    expect(h.events).toEqual(["start a", "start b", "start c", "end b", "start d"]);
    expect(h.scheduler.running).toBe(3);
    for (const id of ["a", "c", "d"]) h.doc(id).finish();
    await settle();
    expect(h.events.slice(5)).toEqual(["end a", "end c", "end d", "start e"]);
    h.doc("e").finish();
    await h.loop.stop();
  });

  it("sleeps on an empty queue until new work is announced, and is idle meanwhile", async () => {
    const h = harness();
    await h.idle();
    h.queue.push("a");
    await settle();
    expect(h.events).toEqual(["idle"]);
    h.wakeup.notify();
    await settle();
    expect(h.events).toEqual(["idle", "start a"]);
    expect(h.scheduler.isIdle()).toBe(false);
    h.doc("a").finish();
    await h.idle();
    expect(h.events).toEqual(["idle", "start a", "end a", "idle"]);
    await h.loop.stop();
  });

  it("folds deferred rows once the queue drains with nothing in progress, before it is idle", async () => {
    const h = harness({ docs: ["a", "b"] });
    const idle = h.idle();
    await settle();
    h.doc("a").slot.deferFold();
    h.doc("a").finish();
    await settle();
    expect(h.events).toEqual(["start a", "start b", "end a"]);
    h.doc("b").slot.deferFold();
    h.doc("b").finish();
    await idle;
    expect(h.events).toEqual(["start a", "start b", "end a", "end b", "fold", "idle"]);
    await h.loop.stop();
  });

  it("logs a failed claim and treats it as an empty queue", async () => {
    let fail = true;
    const h = harness({
      claim: async () => {
        if (fail) throw new Error("connection reset");
        return [];
      },
    });
    await h.idle();
    expect(h.errors).toEqual([{ obj: { err: new Error("connection reset") }, msg: "could not claim a document" }]);
    fail = false;
    await h.loop.stop();
  });

  it("claims nothing while the embedding model is refused, and logs each new reason once", async () => {
    const reasons = ["policy: blocked", "policy: blocked", "policy: expired", undefined];
    const h = harness({ docs: ["a"], refusal: () => (reasons.length > 1 ? reasons.shift() : reasons[0]), refusalRecheckMs: 1 });
    for (let i = 0; i < 500 && !h.events.includes("start a"); i++) await new Promise((r) => setTimeout(r, 2));
    expect(h.events).toEqual(["start a"]);
    expect(h.errors.map((e) => e.obj)).toEqual([{ refusal: "policy: blocked" }, { refusal: "policy: expired" }]);
    h.doc("a").finish();
    await h.loop.stop();
  });

  it("stop() claims nothing more and resolves once the documents in progress have finished", async () => {
    const h = harness({ concurrency: 1, docs: ["a", "b"] });
    await settle();
    let stopped = false;
    const stopping = h.loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    h.doc("a").finish();
    await stopping;
    expect(h.events).toEqual(["start a", "end a"]);
    expect(h.queue).toEqual(["b"]);
  });
});
