import { describe, expect, it } from "vitest";
import { queryCoverage } from "./relevance";

const LOCKOUT = "After 10 failed sign-in attempts within 15 minutes, the account is locked for 30 minutes. An owner can unlock it from Settings › Security.";

describe("question coverage", () => {
  it("leaves out the words agents wrap any question in", () => {
    expect(queryCoverage("Customer says they got locked out, how long until they can sign in again?", `Sign-in and passwords\n${LOCKOUT}`)).toBeGreaterThanOrEqual(0.5);
  });

  it("matches another form of the same word", () => {
    expect(queryCoverage("is deletion of accounts permanent", "Deleted accounts are kept for 30 days, then removed permanently.")).toBe(1);
  });

  it("still finds nothing in an unrelated question", () => {
    expect(queryCoverage("What is the airspeed of an unladen swallow?", LOCKOUT)).toBe(0);
    expect(queryCoverage("What's the weather in Paris today?", LOCKOUT)).toBe(0);
    expect(queryCoverage("customer says thanks", LOCKOUT)).toBe(0);
  });
});
