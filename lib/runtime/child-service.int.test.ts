import { describe, expect, it } from "vitest";
import { childService } from "./child-service";

const spawnNode = (script: string) =>
  childService({ name: "test child", essential: true, command: process.execPath, args: ["-e", script], spawn: { stdio: "ignore" } });

describe("childService", () => {
  it("says how a child died, and stopping one that died of a signal returns at once", async () => {
    const running = await spawnNode("setInterval(() => {}, 1000)").start();
    let pid = 0;
    const service = childService({
      name: "test child",
      essential: true,
      command: process.execPath,
      args: ["-e", "setInterval(() => {}, 1000)"],
      spawn: { stdio: "ignore" },
      onStart: (child) => (pid = child.pid!),
    });
    const watched = await service.start();
    process.kill(pid, "SIGKILL");
    expect(await watched.exited).toBe("was killed by SIGKILL");
    // The old `npm start` waited here for an exit event that had already come.
    await watched.stop(60_000);
    await running.stop(5_000);
    expect(await running.exited).toBe("was killed by SIGTERM");
  });

  it("kills a child that ignores SIGTERM once the grace period is over", async () => {
    const running = await spawnNode("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)").start();
    await new Promise((r) => setTimeout(r, 300)); // let it install its handler
    await running.stop(500);
    expect(await running.exited).toBe("was killed by SIGKILL");
  });

  it("reports a child's own exit code", async () => {
    const running = await spawnNode("process.exit(3)").start();
    expect(await running.exited).toBe("exited (code 3)");
  });

  it("rejects when the program cannot be started", async () => {
    const service = childService({ name: "missing", essential: true, command: "/nonexistent/program", args: [], spawn: {} });
    await expect(service.start()).rejects.toThrow(/ENOENT/);
  });
});
