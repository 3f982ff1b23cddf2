import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents, recordAuditEvent } from "@/db/queries/audit";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestAdmin, openTestGate } from "@/test/support/model-gate";
import { startHubMirror, writeHubRepo, type HubMirror } from "@/test/support/hub-mirror";
import { entry, manifestOf, SHA_B, TEST_MODEL_PATH } from "@/test/support/models";
import { addedManifestFile, readAddedModels } from "./added";
import { approveModelAsAdmin } from "./admin";
import { modelFingerprint } from "./approval";
import type { ModelGate } from "./model-gate";
import { createPullJobs } from "./pull-jobs";
import { approveRecordedHashes, readRecordedHashes, recordedHashesFile } from "./recorded-hashes";

const model = await fs.readFile(TEST_MODEL_PATH);
const sha256 = createHash("sha256").update(model).digest("hex");
// A catalogue entry whose publisher's hash is not pinned in the committed manifest.
const stories = entry({ id: "stories", enabled: false, approval: null, source: "hf:karpathy/tinyllamas@r1", files: [{ path: "stories260K.gguf", sha256: "unknown", size: 0 }] });

let t: TestDatabase;
let tmp: string;
let dataDir: string;
let mirror: HubMirror;
let gate: ModelGate;
let admin: { id: string; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await createTestAdmin(t.db);
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "vouch-recorded-hashes-"));
  dataDir = path.join(tmp, "data");
  await writeHubRepo(path.join(tmp, "hub"), "karpathy/tinyllamas", "r1", { "stories260K.gguf": model });
  mirror = await startHubMirror(path.join(tmp, "hub"));
  await fs.mkdir(path.join(tmp, "models"));
  await fs.writeFile(path.join(tmp, "models", "manifest.json"), JSON.stringify(manifestOf(stories)));
  gate = await openTestGate(t.db, { modelsDir: path.join(tmp, "models"), dataDir });
});
afterAll(async () => {
  gate.stop();
  await mirror.close();
  await t.drop();
  await fs.rm(tmp, { recursive: true, force: true });
});

const clauses = () => gate.status().decisions.find((d) => d.modelId === "stories")!.problems.map((p) => p.clause);
const modelActions = async () => (await listAuditEvents(t.db, { filter: { action: "model." }, limit: 50, offset: 0 })).rows.map((r) => r.action).reverse();

async function appError(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe("hashes recorded at download, approved in Admin › Models", () => {
  it("records them at the first download, audited, and the model stays blocked until an admin approves them", async () => {
    const pulls = createPullJobs({
      modelsDir: path.join(tmp, "models"),
      mirror: mirror.url,
      recordedFile: recordedHashesFile(dataDir),
      audit: async (actor, e) => void (await recordAuditEvent(t.db, { actorId: actor.id, actorEmail: actor.email, ...e })),
      installed: async () => void (await gate.reloadManifest()),
    });
    pulls.start(stories, admin);
    await pulls.settled("stories");
    expect(pulls.list()[0]).toMatchObject({ state: "awaiting-approval", recorded: { files: [{ path: "stories260K.gguf", sha256, size: model.length }] } });
    expect(clauses()).toEqual(["disabled", "hash-unrecorded", "unapproved"]);
    expect(await modelActions()).toEqual(["model.pull.start", "model.pull.finish"]);
  });

  it("approves exactly the hashes shown, into the data folder's manifest, and the model policy then decides as for any model", async () => {
    const shown = readRecordedHashes(recordedHashesFile(dataDir)).stories!.files;
    expect(await appError(approveRecordedHashes(t.db, gate, admin, dataDir, { modelId: "stories", files: [{ ...shown[0]!, sha256: SHA_B }] }))).toEqual({
      code: "conflict:models",
      message: 'The hashes recorded for "stories" changed since you opened the page. Reload it and compare them again.',
    });
    await approveRecordedHashes(t.db, gate, admin, dataDir, { modelId: "stories", files: shown });
    expect(readAddedModels(addedManifestFile(dataDir)).map((m) => [m.id, m.files])).toEqual([["stories", [{ path: "stories260K.gguf", sha256, size: model.length }]]]);
    expect(readRecordedHashes(recordedHashesFile(dataDir))).toEqual({});
    expect(clauses()).toEqual(["disabled", "unapproved"]);

    const approved = gate.status().manifest!.models.find((m) => m.id === "stories")!;
    await approveModelAsAdmin(t.db, gate, admin, { modelId: "stories", fingerprint: modelFingerprint(approved) });
    expect(clauses()).toEqual(["disabled"]);
    expect(await appError(approveRecordedHashes(t.db, gate, admin, dataDir, { modelId: "stories", files: shown }))).toMatchObject({ code: "not_found:models" });
    expect(await modelActions()).toEqual(["model.pull.start", "model.pull.finish", "model.hashes.approve", "model.approve"]);
  });
});
