import { describe, expect, it } from "vitest";
import { classifyFailure, MAX_RETRY_DELAY_MS, retryDelayMs } from "./failure";
import { IngestError } from "./parse/errors";
import { LeaseLostError } from "./pipeline";

const limits = { attempts: 1, maxAttempts: 3, retryBaseMs: 10_000 };

describe("classifyFailure", () => {
  it("leaves a document whose lease was lost alone", () => {
    expect(classifyFailure(new LeaseLostError(), limits)).toEqual({ kind: "lease-lost", message: "the document was changed or deleted while it was being processed" });
  });

  it("fails bad input at once, with its own message", () => {
    expect(classifyFailure(new IngestError("unsupported_type", "unsupported type: image/png"), limits)).toEqual({ kind: "failed", message: "unsupported type: image/png" });
  });

  it("retries a passing fault after a backoff with the reason spelled out", () => {
    expect(classifyFailure(new Error("disk full"), limits)).toEqual({ kind: "retry", delayMs: 10_000, reason: "attempt 1 of 3 failed (disk full); retrying in 10 s" });
    expect(classifyFailure(new Error("disk full"), { attempts: 2, maxAttempts: 3, retryBaseMs: 400 })).toEqual({
      kind: "retry",
      delayMs: 800,
      reason: "attempt 2 of 3 failed (disk full); retrying in 800 ms",
    });
  });

  it("fails a passing fault on the last attempt", () => {
    expect(classifyFailure(new Error("disk full"), { ...limits, attempts: 3 })).toEqual({ kind: "failed", message: "failed after 3 attempts: disk full" });
    expect(classifyFailure(new Error("disk full"), { ...limits, attempts: 4 })).toEqual({ kind: "failed", message: "failed after 4 attempts: disk full" });
  });
});

describe("retryDelayMs", () => {
  it("doubles per attempt from the base, up to ten minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 10_000))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000]);
    expect(MAX_RETRY_DELAY_MS).toBe(600_000);
  });
});
