import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stagingFolder } from "@/lib/embeddings/pull";
import { startHubMirror, writeHubRepo, type HubMirror } from "@/test/support/hub-mirror";
import { entry, manifestOf, SHA_B, TEST_MODEL_PATH } from "@/test/support/models";
import { withAddedModels, withRecordedHashes } from "./added";
import { catalogueItems } from "./catalogue";
import { DEFAULT_ALLOWED_LICENSES, evaluateModels, type Policy } from "./policy";
import { createPullJobs, type PullAuditEvent, type PullJobDeps, type PullJobView } from "./pull-jobs";
import { readRecordedHashes } from "./recorded-hashes";
import { verifyModelFiles } from "./verify";

// The mirror serves the repository's test model (stories260K, 1.2 MB) as the hub lays it out.
const model = await fs.readFile(TEST_MODEL_PATH);
const sha256 = createHash("sha256").update(model).digest("hex");
const pinned = entry({ id: "stories", enabled: false, approval: null, source: "hf:karpathy/tinyllamas@r1", files: [{ path: "stories260K.gguf", sha256, size: model.length }] });
const unpinned = { ...pinned, files: [{ path: "stories260K.gguf", sha256: "unknown", size: 0 }] };
const policy: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };
const admin = { id: "u1", email: "admin@example.com" };

let tmp: string;
let mirror: HubMirror;
let modelsDir: string;
let recordedFile: string;
let audit: string[];
let snapshots: PullJobView[];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "vouch-pull-jobs-"));
  await writeHubRepo(path.join(tmp, "hub"), "karpathy/tinyllamas", "r1", { "stories260K.gguf": model });
  mirror = await startHubMirror(path.join(tmp, "hub"));
});
afterAll(async () => {
  await mirror.close();
  await fs.rm(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  Object.assign(mirror, { requests: [], ignoreRange: false, dropNextAfter: undefined, delayMs: 0 });
  modelsDir = await fs.mkdtemp(path.join(tmp, "models-"));
  recordedFile = path.join(modelsDir, "data", "hashes.recorded.json");
  audit = [];
  snapshots = [];
});

/** Jobs on the mirror with a clock that moves 50 ms at each reading and keeps what the page would have seen then. */
function jobs(overrides: Partial<PullJobDeps> = {}) {
  let t = Date.parse("2026-12-01T10:00:00Z");
  const pulls = createPullJobs({
    modelsDir,
    mirror: mirror.url,
    recordedFile,
    now: () => {
      snapshots.push(...pulls.list());
      return (t += 50);
    },
    audit: async (_actor, e: PullAuditEvent) => void audit.push(e.action),
    ...overrides,
  });
  return pulls;
}

async function pull(pulls: ReturnType<typeof jobs>, e = pinned): Promise<PullJobView> {
  pulls.start(e, admin);
  await pulls.settled(e.id);
  return pulls.list().find((p) => p.modelId === e.id)!;
}

/** The sha256 of the installed model file, undefined when none is installed (comparing hashes: a 1 MB toEqual is slow). */
const installed = () =>
  fs.readFile(path.join(modelsDir, "stories260K.gguf")).then((b) => createHash("sha256").update(b).digest("hex"), () => undefined);

describe("pulling a catalogue model in the background", () => {
  it("reports bytes, a smoothed rate and the time left, then installs the verified file", async () => {
    const pulls = jobs();
    const done = await pull(pulls);
    expect(done).toMatchObject({ state: "done", received: model.length, total: model.length, rate: 0, secondsLeft: null });
    expect(done.files).toEqual([{ path: "stories260K.gguf", received: model.length, total: model.length }]);
    const running = snapshots.filter((s) => s.state === "running" && s.rate > 0);
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((s) => s.secondsLeft !== null && s.secondsLeft >= 0 && s.total === model.length)).toBe(true);
    expect(running.map((s) => s.received)).toEqual([...running.map((s) => s.received)].sort((a, b) => a - b));
    expect(await installed()).toBe(sha256);
    expect(await fs.readdir(modelsDir)).toEqual(["stories260K.gguf"]);
    expect(audit).toEqual(["model.pull.start", "model.pull.finish"]);
  });

  it("continues a dropped download with a Range request, and verifies the whole file", async () => {
    const pulls = jobs();
    mirror.dropNextAfter = 400_000;
    const failed = await pull(pulls);
    // What the client had taken in when the connection dropped is staged (at most what the server sent).
    const staged = (await fs.stat(path.join(stagingFolder(modelsDir, "stories"), "stories260K.gguf"))).size;
    expect(staged).toBeGreaterThan(0);
    expect(staged).toBeLessThanOrEqual(400_000);
    expect(failed.state).toBe("failed");
    expect(failed.reason).toMatch(new RegExp(`^Download of stories260K\\.gguf from http://127\\.0\\.0\\.1:\\d+/karpathy/tinyllamas/resolve/r1/stories260K\\.gguf failed after ${staged} of 1185376 bytes: `));
    expect(await installed()).toBeUndefined();

    const resumed = await pull(pulls);
    expect(resumed.state).toBe("done");
    expect(mirror.requests.map((r) => [r.range, r.status])).toEqual([["", 200], [`bytes=${staged}-`, 206]]);
    // The resumed request names the version its staged bytes came from, so a changed file would come whole.
    expect(mirror.requests[1]?.ifRange).toMatch(/^"[0-9a-f]{16}"$/);
    expect(await installed()).toBe(sha256);
    expect(audit).toEqual(["model.pull.start", "model.pull.fail", "model.pull.start", "model.pull.finish"]);
  });

  it("downloads the whole file again from a server that ignores Range", async () => {
    const pulls = jobs();
    mirror.dropNextAfter = 300_000;
    expect((await pull(pulls)).state).toBe("failed");
    const staged = (await fs.stat(path.join(stagingFolder(modelsDir, "stories"), "stories260K.gguf"))).size;
    mirror.ignoreRange = true;
    expect((await pull(pulls)).state).toBe("done");
    expect(mirror.requests.map((r) => [r.range, r.status])).toEqual([["", 200], [`bytes=${staged}-`, 200]]);
    expect(await installed()).toBe(sha256);
  });

  it("fetches a file that changed upstream whole again, never spliced onto the old bytes", async () => {
    const pulls = jobs();
    mirror.dropNextAfter = 300_000;
    expect((await pull(pulls, unpinned)).state).toBe("failed");
    const changed = Buffer.from(model).reverse();
    await writeHubRepo(path.join(tmp, "hub"), "karpathy/tinyllamas", "r1", { "stories260K.gguf": changed });
    try {
      const done = await pull(pulls, unpinned);
      expect(mirror.requests[1]).toMatchObject({ ifRange: expect.stringMatching(/^"/), status: 200 });
      expect(done.recorded?.files).toEqual([{ path: "stories260K.gguf", sha256: createHash("sha256").update(changed).digest("hex"), size: model.length }]);
    } finally {
      await writeHubRepo(path.join(tmp, "hub"), "karpathy/tinyllamas", "r1", { "stories260K.gguf": model });
    }
  });

  it("fails on a sha256 mismatch and installs nothing", async () => {
    const wrong = { ...pinned, files: [{ ...pinned.files[0]!, sha256: SHA_B }] };
    const failed = await pull(jobs(), wrong);
    expect(failed).toMatchObject({ state: "failed", reason: `stories260K.gguf: sha256 ${sha256} does not match the manifest's ${SHA_B}; the model was not installed` });
    expect(await installed()).toBeUndefined();
    // The bad file is not kept to be continued: the next attempt fetches it whole.
    expect(await fs.readdir(stagingFolder(modelsDir, "stories"))).toEqual([".pull.json"]);
    expect(audit).toEqual(["model.pull.start", "model.pull.fail"]);
  });

  it("cancels a running pull, keeps what it received, and resumes from there; one pull per model at a time", async () => {
    const pulls = jobs();
    mirror.delayMs = 20;
    pulls.start(pinned, admin);
    expect(() => pulls.start(pinned, admin)).toThrow('"stories" is already being downloaded.');
    while ((pulls.list()[0]?.received ?? 0) < 100_000) await new Promise((r) => setTimeout(r, 10));
    expect(pulls.cancel("stories")).toBe(true);
    await pulls.settled("stories");
    const cancelled = pulls.list()[0]!;
    expect(cancelled.state).toBe("cancelled");
    expect(pulls.cancel("stories")).toBe(false);
    expect((await catalogueItems(manifestOf(pinned), modelsDir, {}))[0]?.staged).toBe(cancelled.received);

    mirror.delayMs = 0;
    expect((await pull(pulls)).state).toBe("done");
    expect(mirror.requests.at(-1)).toMatchObject({ range: `bytes=${cancelled.received}-`, status: 206 });
    expect(await installed()).toBe(sha256);
    expect(await catalogueItems(manifestOf(pinned), modelsDir, {})).toEqual([]);
    expect(audit).toEqual(["model.pull.start", "model.pull.cancel", "model.pull.start", "model.pull.finish"]);
  });

  it("records the hashes of files the manifest pins none for, and the model stays blocked until they are approved", async () => {
    const done = await pull(jobs(), unpinned);
    const recorded = { source: unpinned.source, recordedAt: expect.any(String), files: [{ path: "stories260K.gguf", sha256, size: model.length }] };
    expect(done).toMatchObject({ state: "awaiting-approval", recorded });
    expect(readRecordedHashes(recordedFile)).toEqual({ stories: recorded });
    expect((await catalogueItems(manifestOf(unpinned), modelsDir, readRecordedHashes(recordedFile)))[0]).toMatchObject({ id: "stories", pinned: false, recorded });

    const decide = async (e: typeof unpinned) => {
      const manifest = manifestOf(e);
      return evaluateModels(manifest, policy, await verifyModelFiles(manifest, modelsDir, { models: "all" }))[0]!.problems.map((p) => p.clause);
    };
    expect(await decide(unpinned)).toEqual(["disabled", "hash-unrecorded", "unapproved"]);

    // Approval writes the committed entry with the recorded hashes to the data folder; the gate lays it over the committed one.
    const approved = withRecordedHashes(unpinned, readRecordedHashes(recordedFile).stories!.files);
    const merged = withAddedModels(manifestOf(unpinned), [approved]).models[0]!;
    expect(merged.files).toEqual([{ path: "stories260K.gguf", sha256, size: model.length }]);
    expect(await decide(merged)).toEqual(["disabled", "unapproved"]);
    // Nothing but those hashes may be changed from the data folder.
    expect(() => withAddedModels(manifestOf(unpinned), [{ ...approved, license: { id: "Apache-2.0" } }])).toThrow('has the id of an entry in the committed manifest');
    expect(() => withAddedModels(manifestOf(pinned), [{ ...pinned, files: [{ ...pinned.files[0]!, sha256: SHA_B }] }])).toThrow('has the id of an entry in the committed manifest');
  });
});
