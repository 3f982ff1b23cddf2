import { describe, expect, it } from "vitest";
import { QueueFullError, SlotPool } from "./slot-pool";

describe("SlotPool", () => {
  it("hands out free slots at once, then queues first come, first served", async () => {
    const pool = new SlotPool(2, 3);
    const a = pool.reserve();
    const b = pool.reserve();
    expect([a.position, b.position]).toEqual([0, 0]);
    const [leaseA, leaseB] = await Promise.all([a.lease, b.lease]);
    expect([leaseA.slot, leaseB.slot]).toEqual([0, 1]);

    const order: string[] = [];
    const waiting = ["c", "d", "e"].map((name) => {
      const r = pool.reserve();
      void r.lease.then((l) => order.push(`${name}@${l.slot}`));
      return r;
    });
    expect(waiting.map((r) => r.position)).toEqual([1, 2, 3]);
    expect(pool.queued).toBe(3);

    leaseB.release();
    await waiting[0]!.lease;
    leaseA.release();
    (await waiting[1]!.lease).release();
    await waiting[2]!.lease;
    expect(order).toEqual(["c@1", "d@0", "e@0"]);
    expect(pool.queued).toBe(0);
  });

  it("refuses past the queue limit with a retry hint", async () => {
    const pool = new SlotPool(1, 1);
    await pool.reserve().lease;
    pool.reserve();
    expect(() => pool.reserve()).toThrow(QueueFullError);
    try {
      pool.reserve();
    } catch (error) {
      expect((error as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });

  it("drops a waiter whose signal aborts, and the slot goes to the next one", async () => {
    const pool = new SlotPool(1, 2);
    const first = await pool.reserve().lease;
    const controller = new AbortController();
    const leaving = pool.reserve(controller.signal);
    const staying = pool.reserve();
    controller.abort(new Error("client left"));
    await expect(leaving.lease).rejects.toThrow("client left");
    expect(pool.queued).toBe(1);
    first.release();
    expect((await staying.lease).slot).toBe(0);
  });

  it("ignores a second release of the same lease", async () => {
    const pool = new SlotPool(1, 0);
    const lease = await pool.reserve().lease;
    lease.release();
    lease.release();
    expect(pool.busy).toBe(0);
    await pool.reserve().lease;
    expect(pool.busy).toBe(1);
    expect(() => pool.reserve()).toThrow(QueueFullError);
  });

  it("rejects a reservation whose signal is already aborted", () => {
    const pool = new SlotPool(1, 1);
    expect(() => pool.reserve(AbortSignal.abort(new Error("gone")))).toThrow("gone");
    expect(pool.busy).toBe(0);
  });
});
