import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/db/queries/audit";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestAdmin, openTestGate } from "@/test/support/model-gate";
import { entry, manifestOf } from "@/test/support/models";
import { enableModelAsAdmin } from "./enable-service";
import { embeddingCandidates } from "./embedding-choice";
import type { ModelGate } from "./model-gate";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-enable-"));
const bytes = "downloaded weights";
const downloaded = entry({ id: "pulled-embed", role: "embedding", format: "onnx", enabled: false, files: [{ path: "pulled.onnx", sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length }] });
const missing = entry({ id: "not-pulled", role: "embedding", format: "onnx", enabled: false, files: [{ path: "absent.onnx", sha256: "a".repeat(64), size: 3 }] });

let t: TestDatabase;
let gate: ModelGate;
let admin: { id: string; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  fs.writeFileSync(path.join(dir, "pulled.onnx"), bytes);
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifestOf(downloaded, missing)));
  gate = await openTestGate(t.db, { modelsDir: dir, dataDir: dir });
  admin = await createTestAdmin(t.db);
});
afterAll(async () => {
  gate.stop();
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe("enabling a model in Admin › Models", () => {
  it("enables a verified, approved model in the data folder, leaving the committed manifest as it was, and audits it", async () => {
    const env = { ...parseEnv({ DATA_DIR: dir, MODELS_DIR: dir }) };
    expect(embeddingCandidates(gate, env).map((c) => c.id)).not.toContain("pulled-embed");
    await enableModelAsAdmin(t.db, gate, admin, dir, "pulled-embed");
    expect(gate.status().decisions.find((d) => d.modelId === "pulled-embed")).toMatchObject({ enabled: true, allowed: true });
    expect(embeddingCandidates(gate, env).find((c) => c.id === "pulled-embed")).toMatchObject({ active: false, refusal: undefined });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).models[0].enabled).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "models", "enabled.json"), "utf8"))).toEqual({ "pulled-embed": true });
    const actions = (await listAuditEvents(t.db, { filter: {}, limit: 10, offset: 0 })).rows.map((r) => `${r.action} ${r.target}`);
    expect(actions).toContain("model.enable pulled-embed");
  });

  it("refuses a model that would be refused once enabled, and one already enabled", async () => {
    expect(await failure(enableModelAsAdmin(t.db, gate, admin, dir, "not-pulled"))).toBe("conflict:models");
    expect(gate.status().decisions.find((d) => d.modelId === "not-pulled")?.enabled).toBe(false);
    expect(await failure(enableModelAsAdmin(t.db, gate, admin, dir, "pulled-embed"))).toBe("bad_request:models");
    expect(await failure(enableModelAsAdmin(t.db, gate, admin, dir, "nope"))).toBe("not_found:models");
  });
});
