import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

describe("createBatcher", () => {
  it("writes calls of the same moment together, and calls made during a write as the next group", async () => {
    const groups: number[][] = [];
    let release: (() => void) | undefined;
    const call = createBatcher(async (items: number[]) => {
      groups.push(items);
      if (groups.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((i) => i * 10);
    });
    const first = [call(1), call(2), call(3)];
    await new Promise((r) => setImmediate(r));
    const second = [call(4), call(5)]; // while the first group is being written
    release!();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(groups).toEqual([[1, 2, 3], [4, 5]]);
  });

  it("rejects every call of a failed group, and writes later groups", async () => {
    let fail = true;
    const call = createBatcher(async (items: string[]) => {
      if (fail) throw new Error("connection reset");
      return items;
    });
    const failed = [call("a"), call("b")];
    await expect(Promise.all(failed)).rejects.toThrow("connection reset");
    await expect(failed[1]).rejects.toThrow("connection reset");
    fail = false;
    expect(await call("c")).toBe("c");
  });
});
