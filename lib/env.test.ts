import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyNativeSettings, parseEnv } from "./env";

describe("settings", () => {
  it("starts with no configuration at all", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.dataDir).toBe(path.resolve("./data"));
    expect(env.lancedbUri).toBe(path.resolve("./data/lancedb"));
    expect(env.filesDir).toBe(path.resolve("./data/files"));
    expect(env.appUrl).toBe("http://localhost:3000");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.LLM_PORT).toBe(8081);
    expect(env.MAX_UPLOAD_MB).toBe(50);
  });

  it("treats empty strings as unset and derives paths from DATA_DIR", () => {
    const env = parseEnv({ DATABASE_URL: "  ", DATA_DIR: "/srv/vouch", PORT: "4000" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.lancedbUri).toBe("/srv/vouch/lancedb");
    expect(env.appUrl).toBe("http://localhost:4000");
  });

  it("names every bad field", () => {
    expect(() => parseEnv({ PORT: "http", LOG_LEVEL: "loud" })).toThrow(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT/);
  });
});

describe("applyNativeSettings", () => {
  it("puts LANCE_CPU_THREADS into the process environment unless it is there already", () => {
    const before = process.env.LANCE_CPU_THREADS;
    try {
      delete process.env.LANCE_CPU_THREADS;
      applyNativeSettings({ LANCE_CPU_THREADS: 3 });
      expect(process.env.LANCE_CPU_THREADS).toBe("3");
      applyNativeSettings({ LANCE_CPU_THREADS: 6 });
      expect(process.env.LANCE_CPU_THREADS).toBe("3");
    } finally {
      if (before === undefined) delete process.env.LANCE_CPU_THREADS;
      else process.env.LANCE_CPU_THREADS = before;
    }
  });
});
