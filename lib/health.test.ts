import { describe, expect, it } from "vitest";
import { runHealthChecks } from "./health";

describe("health checks", () => {
  it("is up only when every component is up, and names what is down", async () => {
    const report = await runHealthChecks([
      { name: "database", check: async () => ({ ok: true, version: "18" }) },
      { name: "llm", check: async () => ({ ok: false, message: "LLM server unreachable at http://127.0.0.1:1" }) },
      { name: "broken", check: async () => { throw new Error("boom"); } },
      { name: "slow", check: () => new Promise(() => {}) },
    ], 50);
    expect(report).toEqual({
      status: "down",
      components: {
        database: { status: "up", version: "18" },
        llm: { status: "down", message: "LLM server unreachable at http://127.0.0.1:1" },
        broken: { status: "down", message: "boom" },
        slow: { status: "down", message: "no answer within 50 ms" },
      },
    });
    expect((await runHealthChecks([{ name: "db", check: async () => ({ ok: true }) }])).status).toBe("up");
  });
});
