import { describe, expect, it } from "vitest";
import { queryCoverage, relevanceOf } from "./relevance";

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

  it("matches compounds however they are spelt", () => {
    const wifi = "The gateway supports 2.4 GHz Wi-Fi only; it cannot join 5 GHz networks.";
    expect(queryCoverage("5ghz wifi?", wifi)).toBe(1);
  });
});

describe("relevance", () => {
  const passage = { text: LOCKOUT, headingPath: "Sign-in and passwords", vectorScore: null };

  it("counts a passage with two of a long question's words as on topic", () => {
    const long = "Customer's admin says her colleague typed the wrong code a bunch of times this morning and now the account is locked, she's annoyed, what happens next?";
    expect(queryCoverage(long, LOCKOUT)).toBeLessThan(0.4);
    expect(relevanceOf(long, passage)).toBeGreaterThanOrEqual(0.4);
  });

  it("does not count one shared word", () => {
    expect(relevanceOf("which browsers does the mobile account page support and where are the release notes kept", passage)).toBeLessThan(0.4);
  });
});
