import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { modelFingerprint } from "@/lib/models/approval";
import { loadManifest, type Manifest } from "@/lib/models/manifest";
import { DEFAULT_ALLOWED_LICENSES, type Policy } from "@/lib/models/policy";
import { entry, manifestOf } from "@/test/support/models";
import type { FileCheck } from "@/lib/models/verify";
import { filesChangedRecords } from "./files-changed";
import { modelsHealth } from "./health";
import { createModelGate, type FilesChangedEvent, type GovernanceState, type ModelGate } from "./model-gate";

const policy: Policy = { use: "commercial", allowedLicenses: [...DEFAULT_ALLOWED_LICENSES], locality: "on-premises" };
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

const root = mkdtempSync(path.join(tmpdir(), "vouch-gate-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let gate: ModelGate | undefined;
let state: GovernanceState;
let events: FilesChangedEvent[];

beforeEach(() => {
  dir = mkdtempSync(path.join(root, "case-"));
  state = { policy, policyVersion: 1, approvals: [] };
  events = [];
});
afterEach(() => gate?.stop());

/** A manifest on disk with an embedder and a generator whose files match, unless `overrides` say otherwise. */
function writeManifest(...models: Manifest["models"]): string {
  for (const m of models) for (const f of m.files) writeFileSync(path.join(dir, f.path), `${m.id} weights`);
  const file = path.join(dir, "manifest.json");
  writeFileSync(file, JSON.stringify(manifestOf(...models), null, 2));
  return file;
}

const fileOf = (id: string) => [{ path: `${id}.bin`, sha256: sha(`${id} weights`), size: `${id} weights`.length }];
const embedder = entry({ id: "embed", role: "embedding", format: "onnx", files: fileOf("embed") });
const generator = entry({ id: "gen", files: fileOf("gen") });

async function open(manifestFile: string, extra: { verify?: () => Promise<FileCheck[]>; recheckIntervalMs?: number } = {}) {
  gate = await createModelGate({
    manifestFile,
    loadManifest,
    loadState: async () => state,
    onFilesChanged: async (e) => void events.push(e),
    recheckIntervalMs: extra.recheckIntervalMs ?? 0,
    verify: extra.verify,
  });
  return gate;
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("createModelGate", () => {
  it("allows roles whose models pass, returning their entries, and reports health up", async () => {
    const g = await open(writeManifest(embedder, generator));
    expect(g.assertRoleAllowed("embedding").map((m) => m.id)).toEqual(["embed"]);
    expect(g.assertModelAllowed("gen").id).toBe("gen");
    expect(g.status().checks.map((c) => [c.modelId, c.status])).toEqual([["embed", "ok"], ["gen", "ok"]]);
    expect(modelsHealth(g.status())).toMatchObject({
      ok: true,
      policyVersion: 1,
      roles: { embedding: { allowed: true, models: ["embed"], refusals: [] }, generation: { allowed: true, models: ["gen"], refusals: [] } },
    });
  });

  it("refuses a role with a message naming the model, clause and fix, and health shows it", async () => {
    const noncommercial = entry({
      id: "gen",
      files: fileOf("gen"),
      license: { id: "CC-BY-NC-4.0" },
      permits: { commercialUse: false, modification: true, redistributionOfWeights: true, redistributionOfDerivatives: false },
    });
    const g = await open(writeManifest(embedder, noncommercial));
    state = { ...state, policy: { ...policy, allowedLicenses: [...policy.allowedLicenses, "CC-BY-NC-4.0"] } };
    await g.refresh();
    const expected =
      'Model "gen" (generation) is refused: its license CC-BY-NC-4.0 does not permit commercial use, and the policy\'s use is "commercial". Fix: choose a model whose license permits commercial use, or set the policy\'s use to "research" if this deployment is for research only.';
    expect(refusal(() => g.assertRoleAllowed("generation"))).toEqual({ code: "unavailable:models", message: expected });
    expect(refusal(() => g.assertModelAllowed("gen")).message).toBe(expected);
    expect(g.assertRoleAllowed("embedding").map((m) => m.id)).toEqual(["embed"]);
    const health = modelsHealth(g.status());
    expect(health.ok).toBe(false);
    expect(health.message).toBe(expected);
    expect(health.roles.generation).toEqual({ allowed: false, models: ["gen"], refusals: [{ modelId: "gen", clause: "commercial-use", message: expected }] });
  });

  it("refuses a role with no enabled model, and a model not in the manifest", async () => {
    const g = await open(writeManifest(embedder, { ...generator, enabled: false }));
    expect(refusal(() => g.assertRoleAllowed("generation")).message).toBe(
      "The generation role is refused: no generation model is enabled in the model manifest. Fix: enable a generation model in models/manifest.json, record its files' sha256 and size, and approve it in Admin › Models.",
    );
    expect(refusal(() => g.assertModelAllowed("gen")).message).toMatch(/^Model "gen" \(generation\) is disabled in the manifest\. Fix:/);
    expect(refusal(() => g.assertModelAllowed("nope")).message).toBe(
      'Model "nope" is refused: it is not in the model manifest. Fix: add it to models/manifest.json with its license and files, or choose a model that is listed.',
    );
    // A disabled model's files are not verified, and its role is absent from health (nothing to refuse).
    expect(g.status().checks.map((c) => c.modelId)).toEqual(["embed"]);
    expect(Object.keys(modelsHealth(g.status()).roles)).toEqual(["embedding"]);
  });

  it("re-decides on refresh: a stricter policy refuses at once, and a stored approval lets an unapproved model run", async () => {
    const unapproved = entry({ id: "gen", files: fileOf("gen"), approval: null });
    const g = await open(writeManifest(embedder, unapproved));
    expect(refusal(() => g.assertRoleAllowed("generation")).message).toBe(
      'Model "gen" (generation) is refused: nobody has approved it. Fix: approve it in Admin › Models.',
    );
    expect(g.preview({ ...policy, allowedLicenses: ["Apache-2.0"] }).map((d) => [d.modelId, d.clause])).toEqual([["embed", "license-not-allowed"]]);

    state = { ...state, approvals: [{ modelId: "gen", fingerprint: modelFingerprint(unapproved), by: "boss@x.test", at: "2026-11-27T01:00:00.000Z" }] };
    await g.refresh();
    expect(g.assertRoleAllowed("generation").map((m) => m.approval)).toEqual([{ by: "boss@x.test", at: "2026-11-27T01:00:00.000Z" }]);

    state = { ...state, policyVersion: 2, policy: { ...policy, allowedLicenses: ["Apache-2.0"] } };
    const after = await g.refresh();
    expect(after.policyVersion).toBe(2);
    expect(after.roles.map((r) => [r.role, r.allowed])).toEqual([["embedding", false], ["generation", false]]);
  });

  it("catches a file changed on disk after start, refuses its role and reports the change once", async () => {
    const g = await open(writeManifest(embedder, generator));
    const before = g.status().verifiedAt;
    await new Promise((r) => setTimeout(r, 5));
    await g.recheckFiles();
    expect(events).toEqual([]);
    expect(g.status().verifiedAt > before).toBe(true);

    writeFileSync(path.join(dir, "gen.bin"), "gen weightZ");
    await g.recheckFiles();
    expect(refusal(() => g.assertRoleAllowed("generation")).message).toMatch(
      /^Model "gen" \(generation\) is refused: its file gen\.bin has sha256 [0-9a-f]{64}, but the manifest records [0-9a-f]{64}\. Fix: restore the original file/,
    );
    expect(g.assertRoleAllowed("embedding").map((m) => m.id)).toEqual(["embed"]);
    expect(events).toHaveLength(1);
    const records = filesChangedRecords(events[0]!);
    expect(records).toEqual([
      {
        modelId: "gen",
        files: [{ path: "gen.bin", status: "hash-mismatch", expectedSha256: sha("gen weights"), actualSha256: sha("gen weightZ"), expectedSize: 11, actualSize: 11 }],
        allowed: false,
        clause: "hash-mismatch",
        message: g.status().decisions.find((d) => d.modelId === "gen")?.message,
      },
    ]);

    // A refresh (policy change or approval) verifies the files as well.
    writeFileSync(path.join(dir, "gen.bin"), "gen weights");
    await g.refresh();
    expect(g.assertRoleAllowed("generation").map((m) => m.id)).toEqual(["gen"]);
    expect(events.map((e) => filesChangedRecords(e).map((r) => [r.modelId, r.allowed]))).toEqual([[["gen", false]], [["gen", true]]]);
  });

  it("re-checks on its interval when one is set", async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const verify = async (): Promise<FileCheck[]> => {
        calls++;
        return [];
      };
      await open(writeManifest(embedder), { verify, recheckIntervalMs: 1000 });
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(2500);
      expect(calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses every role, naming line and field, when the manifest is malformed", async () => {
    const file = path.join(dir, "manifest.json");
    writeFileSync(file, JSON.stringify({ version: 1, models: [{ ...generator, enabeld: true }] }, null, 2));
    const g = await open(file);
    const s = g.status();
    expect(s.manifest).toBeNull();
    expect(s.manifestError).toMatch(/manifest\.json:\d+:\d+: models\[0\]\.enabeld \(model "gen"\): is not a known field/);
    const message = refusal(() => g.assertRoleAllowed("generation")).message;
    expect(message.startsWith("The generation role is refused: the model manifest is invalid. Invalid model manifest")).toBe(true);
    expect(message.endsWith("Fix: correct models/manifest.json (the message names the line and field) and restart Vouch.")).toBe(true);
    expect(modelsHealth(s)).toMatchObject({ ok: false, message: s.manifestError, roles: {} });
    expect(g.preview({ ...policy, use: "research" })).toEqual([]);
  });

  it("refuses every role when the manifest file is missing", async () => {
    const g = await open(path.join(dir, "absent.json"));
    expect(g.status().manifestError).toBe(`The model manifest ${path.join(dir, "absent.json")} does not exist.`);
    expect(refusal(() => g.assertModelAllowed("gen")).code).toBe("unavailable:models");
  });
});

describe("models on another server (format remote)", () => {
  const vllm = entry({ id: "qwen-vllm", format: "remote", files: [], served: { name: "Qwen/Qwen2.5-7B-Instruct", host: "self-hosted" } });
  const hosted = entry({ id: "hosted", format: "remote", files: [], locality: "remote", served: { name: "gpt-x", host: "third-party" } });
  const where = "the LLM server at http://gpu:8000/v1";

  it("allows a listed, approved, self-hosted model by the name it is served under (Ollama's :latest too)", async () => {
    const g = await open(writeManifest(embedder, vllm, entry({ id: "llama-ollama", format: "remote", files: [], served: { name: "llama3", host: "self-hosted" } })));
    expect(g.assertServedModelAllowed("generation", "Qwen/Qwen2.5-7B-Instruct", where).id).toBe("qwen-vllm");
    expect(g.assertServedModelAllowed("generation", "llama3:latest", where).id).toBe("llama-ollama");
  });

  it("leaves a connected model that is not approved yet out of its role's verdict (health stays up until it is used)", async () => {
    const g = await open(writeManifest(embedder, { ...vllm, approval: null }));
    expect(g.status().decisions.find((d) => d.modelId === "qwen-vllm")).toMatchObject({ allowed: false, clause: "unapproved" });
    expect(g.status().roles.map((r) => [r.role, r.allowed])).toEqual([["embedding", true]]);
    expect(() => g.assertServedModelAllowed("generation", "Qwen/Qwen2.5-7B-Instruct", where)).toThrow(/nobody has approved it/);
  });

  it("refuses a served model the manifest does not list, naming it, the server and the fix", async () => {
    const g = await open(writeManifest(embedder, vllm));
    expect(refusal(() => g.assertServedModelAllowed("generation", "mystery-70b", where))).toEqual({
      code: "unavailable:models",
      message:
        'The generation model "mystery-70b" served by the LLM server at http://gpu:8000/v1 is refused: no model of format "remote" in the model manifest is served under that name, so its license is not on record. Fix: add an entry with "format": "remote", "role": "generation" and "served": { "name": "mystery-70b", "host": "self-hosted" or "third-party" } with its license to models/manifest.json, and approve it in Admin › Models.',
    });
    // A name listed for another role does not count.
    expect(refusal(() => g.assertServedModelAllowed("embedding", "Qwen/Qwen2.5-7B-Instruct", where)).message).toMatch(/no model of format "remote"/);
  });

  it("applies the policy to a served model: a third-party service under an on-premises policy, a disabled or unapproved entry", async () => {
    const g = await open(writeManifest(embedder, hosted, { ...vllm, enabled: false }, entry({ id: "new", format: "remote", files: [], served: { name: "new-model", host: "self-hosted" }, approval: null })));
    expect(refusal(() => g.assertServedModelAllowed("generation", "gpt-x", where)).message).toBe(
      'Model "hosted" (generation) is refused: it runs off premises (locality "remote"), and the policy allows on-premises models only. Fix: use a model that runs on premises, or set the policy\'s locality to "any".',
    );
    expect(refusal(() => g.assertServedModelAllowed("generation", "Qwen/Qwen2.5-7B-Instruct", where)).message).toMatch(/^Model "qwen-vllm" \(generation\) is disabled in the manifest\./);
    expect(refusal(() => g.assertServedModelAllowed("generation", "new-model", where)).message).toMatch(/nobody has approved it/);
    state = { ...state, policy: { ...policy, locality: "any" }, policyVersion: 2 };
    await g.refresh();
    expect(g.assertServedModelAllowed("generation", "gpt-x", where).id).toBe("hosted");
  });

  it("keeps remote entries out of the local role check, and local ones out of the served check", async () => {
    const g = await open(writeManifest(embedder, generator, { ...hosted }));
    // The third-party entry is refused, but the local generator still runs when no LLM_BASE_URL is set.
    expect(g.assertRoleAllowed("generation").map((m) => m.id)).toEqual(["gen"]);
    expect(refusal(() => g.assertServedModelAllowed("generation", "gen", where)).message).toMatch(/no model of format "remote"/);
  });
});
