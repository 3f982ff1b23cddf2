import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_ALLOWED_LICENSES, evaluateModels } from "./policy";
import { entry, manifestOf } from "../../test/support/models";
import { createHashCache, verifyModelFiles, type FileCheck } from "./verify";
import { createModelWatcher, diffFileChecks, type ModelFilesChange } from "./watcher";

const check = (modelId: string, status: FileCheck["status"], actualSha256?: string): FileCheck => ({
  modelId,
  path: `${modelId}.gguf`,
  absolutePath: `/models/${modelId}.gguf`,
  status,
  expectedSha256: "a".repeat(64),
  expectedSize: 10,
  actualSha256,
  actualSize: 10,
});

describe("diffFileChecks", () => {
  it("finds changed, new and removed checks", () => {
    const before = [check("a", "ok", "1"), check("b", "ok", "2"), check("c", "ok", "3")];
    const after = [check("a", "ok", "1"), check("b", "hash-mismatch", "9"), check("d", "missing")];
    expect(diffFileChecks(before, after)).toEqual({
      changed: [check("b", "hash-mismatch", "9"), check("d", "missing")],
      removed: [check("c", "ok", "3")],
    });
  });
});

describe("createModelWatcher", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("re-checks on its interval and reports only changes", async () => {
    vi.useFakeTimers();
    const runs = [[check("a", "ok", "1")], [check("a", "ok", "1")], [check("a", "hash-mismatch", "2")]];
    const verify = vi.fn(async () => runs.shift() ?? []);
    const changes: ModelFilesChange[] = [];
    const watcher = createModelWatcher({ intervalMs: 1000, verify, onChange: (c) => void changes.push(c), initial: [check("a", "ok", "1")] });
    watcher.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(verify).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(2001);
    expect(verify).toHaveBeenCalledTimes(3);
    expect(changes.map((c) => c.changed)).toEqual([[check("a", "hash-mismatch", "2")]]);
    expect(watcher.last).toEqual([check("a", "hash-mismatch", "2")]);
    watcher.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(verify).toHaveBeenCalledTimes(3);
  });

  it("keeps going after a failed re-check and reports the error", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const watcher = createModelWatcher({
      intervalMs: 100,
      verify: async () => {
        calls++;
        if (calls === 1) throw new Error("disk gone");
        return [];
      },
      onChange: () => {},
      onError: (e) => void errors.push((e as Error).message),
    });
    watcher.start();
    await vi.advanceTimersByTimeAsync(250);
    watcher.stop();
    expect(errors).toEqual(["disk gone"]);
    expect(calls).toBe(2);
  });

  it("does not start a timer when the interval is 0", async () => {
    vi.useFakeTimers();
    const verify = vi.fn(async () => []);
    const watcher = createModelWatcher({ intervalMs: 0, verify, onChange: () => {} });
    watcher.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(verify).not.toHaveBeenCalled();
  });

  it("does not overlap re-checks", async () => {
    let release: (v: FileCheck[]) => void = () => {};
    const verify = vi.fn(() => new Promise<FileCheck[]>((r) => (release = r)));
    const watcher = createModelWatcher({ intervalMs: 0, verify, onChange: () => {} });
    const first = watcher.checkNow();
    const second = watcher.checkNow();
    release([]);
    expect(await first).toEqual([]);
    expect(await second).toEqual([]);
    expect(verify).toHaveBeenCalledTimes(1);
  });
});

describe("a model file replaced after start", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vouch-watch-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is caught by the next re-check and its role is refused", async () => {
    const file = path.join(dir, "gen.gguf");
    writeFileSync(file, "original weights");
    const sha256 = createHash("sha256").update("original weights").digest("hex");
    const manifest = manifestOf(entry({ id: "gen", files: [{ path: "gen.gguf", sha256, size: 16 }] }));
    const policy = { use: "commercial" as const, allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" as const };
    const cache = createHashCache();
    const verify = () => verifyModelFiles(manifest, dir, { cache });
    const initial = await verify();
    expect(evaluateModels(manifest, policy, initial)[0]?.allowed).toBe(true);

    const refused: string[] = [];
    const watcher = createModelWatcher({
      intervalMs: 0,
      verify,
      initial,
      onChange: ({ current }) => {
        for (const d of evaluateModels(manifest, policy, current)) if (!d.allowed) refused.push(`${d.modelId}: ${d.clause}`);
      },
    });
    await watcher.checkNow();
    expect(refused).toEqual([]);
    writeFileSync(file, "tampered weights");
    await watcher.checkNow();
    expect(refused).toEqual(["gen: hash-mismatch"]);
  });
});
