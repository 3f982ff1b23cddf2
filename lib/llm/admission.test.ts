import { describe, expect, it } from "vitest";
import { GenerationAdmission, type AdmissionUpdate } from "./admission";

/** Follows one turn through the queue, recording what it is told, and holds its release once admitted. */
function turn(admission: GenerationAdmission, signal?: AbortSignal) {
  const seen: AdmissionUpdate[] = [];
  let release: (() => void) | undefined;
  const done = (async () => {
    for await (const update of admission.enter(signal)) {
      seen.push(update);
      if (update.kind === "admitted") release = update.release;
    }
  })();
  return { seen, done, release: () => release?.(), admitted: () => release !== undefined };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("GenerationAdmission", () => {
  it("admits up to its slots at once, then queues first come first served, telling each its place", async () => {
    const admission = new GenerationAdmission({ slots: 2, maxWaitMs: 60_000, firstGuessMs: 10_000 });
    const [a, b, c, d] = [turn(admission), turn(admission), turn(admission), turn(admission)];
    await settle();
    expect([a, b, c, d].map((t) => t.admitted())).toEqual([true, true, false, false]);
    expect(c.seen).toEqual([{ kind: "waiting", position: 1, etaMs: 10_000 }]);
    expect(d.seen).toEqual([{ kind: "waiting", position: 2, etaMs: 10_000 }]);
    b.release();
    await settle();
    expect([c.admitted(), d.admitted()]).toEqual([true, false]);
    expect(d.seen.at(-1)).toEqual({ kind: "waiting", position: 1, etaMs: expect.any(Number) });
    a.release();
    await settle();
    expect(d.admitted()).toBe(true);
    c.release();
    d.release();
    await Promise.all([a.done, b.done, c.done, d.done]);
    expect(admission.waiting).toBe(0);
  });

  it("says when the wait would be too long, so the turn quotes instead", async () => {
    const admission = new GenerationAdmission({ slots: 1, maxWaitMs: 15_000, firstGuessMs: 10_000 });
    const first = turn(admission);
    const second = turn(admission); // 10 s: waits
    const third = turn(admission); // 20 s: too long
    await settle();
    expect(second.seen).toEqual([{ kind: "waiting", position: 1, etaMs: 10_000 }]);
    expect(third.seen).toEqual([{ kind: "too-long", position: 2, etaMs: 20_000 }]);
    first.release();
    await settle();
    second.release();
  });

  it("lets a turn that gives up leave the queue, moving those behind it up", async () => {
    const admission = new GenerationAdmission({ slots: 1, maxWaitMs: 60_000, firstGuessMs: 1_000 });
    const running = turn(admission);
    const controller = new AbortController();
    const leaving = turn(admission, controller.signal);
    const behind = turn(admission);
    await settle();
    expect(behind.seen.at(-1)).toMatchObject({ position: 2 });
    controller.abort();
    await leaving.done;
    await settle();
    expect(behind.seen.at(-1)).toMatchObject({ kind: "waiting", position: 1 });
    running.release();
    await settle();
    expect(behind.admitted()).toBe(true);
    expect(leaving.admitted()).toBe(false);
  });

  it("learns how long answers take from the ones it has seen", async () => {
    let now = 0;
    const admission = new GenerationAdmission({ slots: 1, maxWaitMs: 600_000, firstGuessMs: 10_000, now: () => now });
    for (let i = 0; i < 10; i++) {
      const t = turn(admission);
      await settle();
      now += 2_000;
      t.release();
      await t.done;
    }
    expect(admission.etaMs(1)).toBeLessThan(3_000);
  });
});
