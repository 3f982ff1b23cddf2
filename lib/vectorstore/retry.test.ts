import { describe, expect, it } from "vitest";
import { isCommitConflict, withCommitRetry } from "./retry";

const conflict = new Error(
  "lance error: Retryable commit conflict for version 5: This Rewrite transaction was preempted by concurrent transaction CreateIndex at version 5. Please retry.",
);

describe("withCommitRetry", () => {
  it("recognises commit conflicts", () => {
    expect(isCommitConflict(conflict)).toBe(true);
    expect(isCommitConflict(new Error("Table 'x' was not found"))).toBe(false);
  });

  it("retries conflicts with growing delays, then succeeds", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withCommitRetry(
      async () => {
        if (++calls < 3) throw conflict;
        return "ok";
      },
      { sleep: async (ms) => void delays.push(ms), random: () => 0.5, baseDelayMs: 10 },
    );
    expect(result).toBe("ok");
    expect(delays).toEqual([10, 20]);
  });

  it("does not retry other errors, and gives up after the last attempt", async () => {
    let calls = 0;
    const sleep = async () => undefined;
    await expect(withCommitRetry(async () => (calls++, Promise.reject(new Error("disk full"))), { sleep })).rejects.toThrow("disk full");
    expect(calls).toBe(1);
    calls = 0;
    await expect(withCommitRetry(async () => (calls++, Promise.reject(conflict)), { sleep, attempts: 3 })).rejects.toThrow(/commit conflict/);
    expect(calls).toBe(3);
  });
});
