import { describe, expect, it } from "vitest";
import { redactPaths, runHealthChecks, statusOnly } from "./health";

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

describe("redactPaths", () => {
  it("names the server's folders by their settings and shortens other absolute paths, leaving URLs alone", () => {
    const report = {
      status: "down" as const,
      components: {
        models: {
          status: "down" as const,
          message: "its file x.gguf is missing (looked for /srv/vouch/models/x.gguf). Also /opt/shared/models/y.gguf (404).",
          roles: { generation: { refusals: [{ message: "data at /srv/vouch/data/files/a.pdf" }] } },
        },
        llm: { status: "up" as const, server: "http://127.0.0.1:8081/v1", message: "see https://example.com/a/b" },
      },
    };
    const out = redactPaths(report, { DATA_DIR: "/srv/vouch/data", FILES_DIR: "/srv/vouch/data/files", MODELS_DIR: "/srv/vouch/models" });
    expect(out.components.models).toEqual({
      status: "down",
      message: "its file x.gguf is missing (looked for <MODELS_DIR>/x.gguf). Also …/y.gguf (404).",
      roles: { generation: { refusals: [{ message: "data at <FILES_DIR>/a.pdf" }] } },
    });
    expect(out.components.llm).toEqual(report.components.llm);
  });
});

describe("statusOnly", () => {
  it("keeps each component's up or down and drops every detail", () => {
    const report = {
      status: "down" as const,
      components: {
        models: { status: "down" as const, message: 'Model "gen" (generation) is refused: license GPL-3.0-only', roles: {} },
        database: { status: "up" as const, version: "16.4" },
      },
    };
    expect(statusOnly(report)).toEqual({
      status: "down",
      components: { models: { status: "down" }, database: { status: "up" } },
      details: "Sign in as an admin to see each component's details.",
    });
  });
});
