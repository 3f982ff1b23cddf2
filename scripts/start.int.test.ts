import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

describe("npm start", () => {
  it("exits with a clear message when its port is already in use, starting nothing", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-port-"));
    try {
      const result = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use (is Vouch already running?)`);
      expect(fs.existsSync(path.join(dataDir, "postgres"))).toBe(false);
    } finally {
      server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("stops at a malformed setting, naming it", () => {
    const result = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PORT: "not-a-port" },
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Invalid configuration:\n\s+PORT:/);
  });
});
