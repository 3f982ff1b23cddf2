import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, utimesSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadManifest } from "./manifest";
import { evaluateModels, policyFromConfig } from "./policy";
import { entry, manifestOf, SHA_A } from "../../test/support/models";
import { createHashCache, isRecordedSha256, modelsToVerify, sha256File, verifyModelFiles } from "./verify";
import { TEST_MODEL_PATH } from "@/test/support/models";

const dir = mkdtempSync(path.join(tmpdir(), "vouch-models-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
function put(name: string, text: string) {
  writeFileSync(path.join(dir, name), text);
  return { path: name, sha256: sha(text), size: Buffer.byteLength(text) };
}

describe("verifyModelFiles", () => {
  it("reports ok, missing, size and hash mismatches, and unrecorded hashes", async () => {
    const good = put("good.gguf", "good weights");
    const edited = put("edited.gguf", "some weights");
    const grown = put("grown.gguf", "short");
    const fresh = put("fresh.gguf", "new weights");
    writeFileSync(path.join(dir, "edited.gguf"), "SOME WEIGHTS"); // same size, different bytes
    writeFileSync(path.join(dir, "grown.gguf"), "much longer now");
    const manifest = manifestOf(
      entry({ id: "good", files: [good] }),
      entry({ id: "edited", files: [edited] }),
      entry({ id: "grown", files: [grown] }),
      entry({ id: "gone", files: [{ path: "gone.gguf", sha256: SHA_A, size: 3 }] }),
      entry({ id: "fresh", files: [{ path: fresh.path, sha256: "0".repeat(64), size: 0 }] }),
    );
    const checks = await verifyModelFiles(manifest, dir);
    expect(checks.map((c) => [c.modelId, c.status, c.actualSha256, c.actualSize])).toEqual([
      ["good", "ok", good.sha256, good.size],
      ["edited", "hash-mismatch", sha("SOME WEIGHTS"), 12],
      ["grown", "size-mismatch", undefined, 15],
      ["gone", "missing", undefined, undefined],
      ["fresh", "unrecorded", fresh.sha256, fresh.size],
    ]);
    expect(checks[3]?.absolutePath).toBe(path.join(dir, "gone.gguf"));
  });

  it("hashes a file again only when it changes on disk", async () => {
    const file = put("cached.gguf", "version one");
    const manifest = manifestOf(entry({ id: "cached", files: [file] }));
    const cache = createHashCache();
    let hashed = 0;
    const hashFile = (p: string) => {
      hashed++;
      return sha256File(p);
    };
    await verifyModelFiles(manifest, dir, { cache, hashFile });
    await verifyModelFiles(manifest, dir, { cache, hashFile });
    expect(hashed).toBe(1);

    // Same size, and the modification time set back: ctime still reveals the write.
    const before = statSync(path.join(dir, "cached.gguf"));
    writeFileSync(path.join(dir, "cached.gguf"), "version two");
    utimesSync(path.join(dir, "cached.gguf"), before.atime, before.mtime);
    const [check] = await verifyModelFiles(manifest, dir, { cache, hashFile });
    expect(hashed).toBe(2);
    expect(check?.status).toBe("hash-mismatch");
  });

  it("checks enabled models and the bases of enabled adapters by default, every entry on request", () => {
    const manifest = manifestOf(
      entry({ id: "base", enabled: false }),
      entry({ id: "lora", role: "adapter", baseModel: "base" }),
      entry({ id: "spare", enabled: false }),
    );
    expect(modelsToVerify(manifest).map((m) => m.id)).toEqual(["base", "lora"]);
    expect(modelsToVerify(manifest, "all").map((m) => m.id)).toEqual(["base", "lora", "spare"]);
  });

  it("treats the all-zero placeholder and \"unknown\" as unrecorded", () => {
    expect(isRecordedSha256("0".repeat(64))).toBe(false);
    expect(isRecordedSha256("unknown")).toBe(false);
    expect(isRecordedSha256(SHA_A)).toBe(true);
  });
});

describe("the shipped manifest against the real files", () => {
  const repoRoot = path.resolve(import.meta.dirname, "../..");
  const modelsDir = path.join(repoRoot, "models");
  const manifest = loadManifest(path.join(modelsDir, "manifest.json"));

  it("verifies stories260K against the shared model file", async () => {
    const stories = { ...manifest, models: manifest.models.filter((m) => m.id === "stories260k") };
    const [check] = await verifyModelFiles(stories, modelsDir);
    expect(check).toMatchObject({
      modelId: "stories260k",
      status: "ok",
      absolutePath: TEST_MODEL_PATH,
      actualSha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
      actualSize: 1185376,
    });
  });

  it("lets stories260K generate under the default policy", async () => {
    const checks = await verifyModelFiles(manifest, modelsDir);
    const policy = policyFromConfig({ POLICY_USE: "commercial", POLICY_ALLOWED_LICENSES: undefined, POLICY_LOCALITY: "on-premises" });
    const decisions = evaluateModels(manifest, policy, checks);
    expect(decisions.find((d) => d.modelId === "stories260k")).toEqual({
      modelId: "stories260k",
      role: "generation",
      enabled: true,
      allowed: true,
      problems: [],
    });
    expect(decisions.find((d) => d.modelId === "llama-3.2-1b-instruct-q4km")?.problems.map((p) => p.clause)).toEqual([
      "disabled",
      "license-not-allowed",
      "hash-unrecorded",
      "unapproved",
    ]);
  });
});
