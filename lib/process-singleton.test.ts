import { describe, expect, it } from "vitest";
import { processSingleton } from "./process-singleton";

describe("processSingleton", () => {
  it("opens once and hands every caller the same instance", async () => {
    let opened = 0;
    const get = processSingleton("test-once", async () => ({ n: ++opened }));
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(opened).toBe(1);
  });

  it("forgets a failed open, so the next call tries again", async () => {
    let attempts = 0;
    const get = processSingleton("test-retry", async () => {
      attempts++;
      if (attempts === 1) throw new Error("not up yet");
      return "open";
    });
    await expect(get()).rejects.toThrow("not up yet");
    await expect(get()).resolves.toBe("open");
    expect(attempts).toBe(2);
  });

  it("shares one instance between two getters of the same key (as after a development reload)", async () => {
    const first = processSingleton("test-shared", async () => ({}));
    const second = processSingleton("test-shared", async () => ({}));
    expect(await second()).toBe(await first());
  });
});
