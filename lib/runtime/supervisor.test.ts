import { describe, expect, it } from "vitest";
import { createSupervisor, type RunningService, type Service } from "./supervisor";

/** A service whose runs the test ends by hand. */
function fake(name: string, essential = true, events: string[] = []) {
  let die: (how: string) => void = () => {};
  let failNextStart = false;
  const service: Service & { starts: number; kill(how?: string): void; failNextStart(): void } = {
    name,
    essential,
    starts: 0,
    async start(): Promise<RunningService> {
      service.starts++;
      if (failNextStart) {
        failNextStart = false;
        throw new Error("port taken");
      }
      events.push(`start ${name}`);
      const exited = new Promise<string>((resolve) => (die = resolve));
      return {
        exited,
        stop: async () => {
          events.push(`stop ${name}`);
          die("stopped");
        },
      };
    },
    kill: (how = "was killed by SIGKILL") => die(how),
    failNextStart: () => (failNextStart = true),
  };
  return service;
}

function harness() {
  let clock = 0;
  const delays: number[] = [];
  const lines: string[] = [];
  const supervisor = createSupervisor({
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
    now: () => clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return { supervisor, delays, lines, settle, advance: (ms: number) => (clock += ms) };
}

describe("createSupervisor", () => {
  it("restarts a service that dies, after a second, and says so", async () => {
    const h = harness();
    const worker = fake("ingest worker");
    await h.supervisor.start([worker]);
    worker.kill();
    await h.settle();
    expect(worker.starts).toBe(2);
    expect(h.delays).toEqual([1_000]);
    expect(h.lines).toEqual(["The ingest worker was killed by SIGKILL; restarting it in 1 s.", "Restarted the ingest worker."]);
  });

  it("doubles the delay after each quick death, up to 30 s, and starts over after a long run", async () => {
    const h = harness();
    const server = fake("local model server", false);
    await h.supervisor.start([server]);
    for (let i = 0; i < 7; i++) {
      server.kill("exited (code 1)");
      await h.settle();
    }
    expect(h.delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    h.advance(120_000);
    server.kill("exited (code 1)");
    await h.settle();
    expect(h.delays.at(-1)).toBe(1_000);
    expect(server.starts).toBe(9);
  });

  it("stops everything with exit code 1 when an essential service keeps dying", async () => {
    const h = harness();
    const events: string[] = [];
    const db = fake("database", true, events);
    const worker = fake("ingest worker", true, events);
    const web = fake("web server", true, events);
    await h.supervisor.start([db, worker, web]);
    for (let i = 0; i < 5; i++) {
      worker.kill("exited (code 1)");
      await h.settle();
    }
    expect(await h.supervisor.done).toBe(1);
    expect(worker.starts).toBe(5);
    expect(h.lines.at(-1)).toBe("The ingest worker exited (code 1), its 5th quick death in a row; stopping everything.");
    // The database is stopped after the others.
    expect(events.filter((e) => e.startsWith("stop"))).toHaveLength(3);
    expect(events.at(-1)).toBe("stop database");
  });

  it("never gives up on a service the app can do without", async () => {
    const h = harness();
    const web = fake("web server");
    const llm = fake("local model server", false);
    await h.supervisor.start([web, llm]);
    for (let i = 0; i < 12; i++) {
      llm.kill("exited (code 1)");
      await h.settle();
    }
    expect(llm.starts).toBe(13);
    let finished = false;
    void h.supervisor.done.then(() => (finished = true));
    await h.settle();
    expect(finished).toBe(false);
  });

  it("counts a restart that fails to start as a quick death", async () => {
    const h = harness();
    const db = fake("embedded PostgreSQL");
    await h.supervisor.start([db]);
    db.failNextStart();
    db.kill("(process 12) stopped");
    await h.settle();
    expect(h.lines).toContain("The embedded PostgreSQL could not start (port taken); restarting it in 2 s.");
    expect(db.starts).toBe(3);
    expect(h.lines.at(-1)).toBe("Restarted the embedded PostgreSQL.");
  });

  it("on stop(), stops every service, the first one last, restarts nothing, and reports the code", async () => {
    const h = harness();
    const events: string[] = [];
    const services = [fake("database", true, events), fake("ingest worker", true, events), fake("web server", true, events)];
    await h.supervisor.start(services);
    await h.supervisor.stop(143);
    expect(await h.supervisor.done).toBe(143);
    await h.settle();
    expect(events.at(-1)).toBe("stop database");
    expect(events.filter((e) => e.startsWith("stop"))).toHaveLength(3);
    expect(services.map((s) => s.starts)).toEqual([1, 1, 1]);
  });

  it("when a service cannot start at all, stops those already started and rejects", async () => {
    const h = harness();
    const events: string[] = [];
    const db = fake("database", true, events);
    const web = fake("web server", true, events);
    web.failNextStart();
    await expect(h.supervisor.start([db, web])).rejects.toThrow("port taken");
    expect(events).toEqual(["start database", "stop database"]);
    expect(await h.supervisor.done).toBe(1);
  });
});
