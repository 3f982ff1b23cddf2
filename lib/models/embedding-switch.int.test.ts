import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/db/queries/audit";
import { createKnowledgeBase } from "@/db/queries/knowledge-bases";
import { SYSTEM_ACTOR } from "@/db/queries/users";
import { startIngestWorker } from "@/ingest/worker";
import { acceptUploads } from "@/ingest/upload";
import { readActiveEmbedding, withActiveEmbedding } from "@/lib/embeddings/active";
import type { Engines } from "@/lib/engines/open";
import { parseEnv, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createLogger } from "@/lib/log";
import { openLanceVectorStore } from "@/lib/vectorstore";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestAdmin, openTestGate } from "@/test/support/model-gate";
import { createHashingEmbedder } from "@/test/support/hashing-embedder";
import { entry, manifestOf } from "@/test/support/models";
import { approveModelAsAdmin } from "./admin";
import { modelFingerprint } from "./approval";
import { embeddingCandidates } from "./embedding-choice";
import { createEmbeddingSwitcher, type EmbeddingSwitcher } from "./embedding-switch";
import type { ModelGate } from "./model-gate";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-embed-switch-"));
const weights = "old-embed weights";
const oldEntry = entry({
  id: "old-embed",
  role: "embedding",
  format: "onnx",
  files: [{ path: "old-embed.onnx", sha256: createHash("sha256").update(weights).digest("hex"), size: weights.length }],
});
const remoteEntry = entry({ id: "remote-new-embed", role: "embedding", format: "remote", source: "http://tei:8080/v1", files: [], served: { name: "new-embed", host: "self-hosted" }, approval: null });
const oldModel = createHashingEmbedder({ dimensions: 8, id: "old-embed" });
const log = createLogger({ level: "silent" });
const enc = (s: string) => new TextEncoder().encode(s);

let t: TestDatabase;
let env: Env;
let gate: ModelGate;
let old: Engines;
let admin: { id: string; email: string };
const opened: Env[] = [];

/** The new model as the server would open it: the settings it was given, a table of its own. */
async function open(settings: Env): Promise<Engines> {
  opened.push(settings);
  const embedder = createHashingEmbedder({ dimensions: 24, id: `remote:${settings.EMBEDDINGS_MODEL}` });
  const store = await openLanceVectorStore({ uri: settings.lancedbUri, embedderId: embedder.id, dimensions: embedder.dimensions, maintainEveryRows: 0 });
  return { embedder, store, close: () => store.close() };
}

beforeAll(async () => {
  t = await createTestDatabase();
  fs.writeFileSync(path.join(dir, "old-embed.onnx"), weights);
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifestOf(oldEntry, remoteEntry)));
  env = parseEnv({ DATA_DIR: dir, MODELS_DIR: dir, EMBEDDER: "old-embed" });
  gate = await openTestGate(t.db, env);
  admin = await createTestAdmin(t.db);
  const store = await openLanceVectorStore({ uri: env.lancedbUri, embedderId: oldModel.id, dimensions: oldModel.dimensions, maintainEveryRows: 0 });
  old = { embedder: oldModel, store, close: () => store.close() };
  const kbId = (await createKnowledgeBase(t.db, { slug: "kb", name: "KB", description: "", visibility: "all", readerIds: [], actor: SYSTEM_ACTOR })).id;
  await acceptUploads(
    [
      { fileName: "refunds.md", bytes: enc("# Refunds\n\nRefunds are issued within 14 days.\n\n## Gift cards\n\nGift cards are never refundable.\n") },
      { fileName: "wifi.md", bytes: enc("# Wi-Fi\n\nThe gateway joins 2.4 GHz networks only.\n") },
    ],
    { db: t.db, filesDir: env.filesDir, kbId, maxBytes: 1 << 20, actor: SYSTEM_ACTOR },
  );
  const worker = startIngestWorker({ db: t.db, sql: t.sql, store, embedder: oldModel, filesDir: env.filesDir, log, pollMs: 100 });
  await worker.idle();
  await worker.stop();
});
afterAll(async () => {
  gate.stop();
  await old.close();
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const switcher = (): EmbeddingSwitcher => createEmbeddingSwitcher({ db: t.db, gate, env, current: async () => old, open });
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("switching the embedding model", () => {
  it("lists the enabled embedding models, the one in use, and the policy's verdict", () => {
    const candidates = embeddingCandidates(gate, env);
    expect(candidates.map((c) => [c.id, c.active, c.runs])).toEqual([["old-embed", true, "in this process"], ["remote-new-embed", false, "on the server at http://tei:8080/v1"]]);
    expect(candidates[1]!.refusal).toMatch(/remote-new-embed/);
  });

  it("refuses a model the policy does not allow yet, and the one already in use", async () => {
    expect((await appError(switcher().start(admin, "remote-new-embed"))).code).toBe("conflict:models");
    expect((await appError(switcher().start(admin, "old-embed"))).message).toBe("old-embed already embeds the knowledge bases.");
    expect((await appError(switcher().start(admin, "nope"))).code).toBe("bad_request:models");
  });

  it("embeds every document with the approved model in the background, then makes it the embedding model", async () => {
    await approveModelAsAdmin(t.db, gate, admin, { modelId: "remote-new-embed", fingerprint: modelFingerprint(remoteEntry) });
    const s = switcher();
    const started = await s.start(admin, "remote-new-embed");
    expect(started).toMatchObject({ modelId: "remote-new-embed", from: "old-embed", state: "running" });
    expect(readActiveEmbedding(dir)).toBeUndefined(); // searches keep the old model meanwhile
    await s.settled();

    expect(s.status()).toMatchObject({ state: "done", to: "remote:new-embed", progress: { documents: 2, total: 2, chunks: 3, missing: 0 } });
    expect(opened[0]).toMatchObject({ EMBEDDER: "new-embed", EMBEDDINGS_BASE_URL: "http://tei:8080/v1", EMBEDDINGS_MODEL: "new-embed" });
    expect(readActiveEmbedding(dir)).toEqual({ modelId: "remote-new-embed", embedder: "new-embed", baseUrl: "http://tei:8080/v1" });
    expect(withActiveEmbedding(env)).toMatchObject({ EMBEDDER: "new-embed", EMBEDDINGS_BASE_URL: "http://tei:8080/v1" });
    const now = await open(withActiveEmbedding(env));
    expect((await now.store.listDocumentIds()).length).toBe(2);
    expect(await old.store.count()).toBe(3);
    await now.close();
    expect(embeddingCandidates(gate, env).find((c) => c.active)?.id).toBe("remote-new-embed");
    const actions = (await listAuditEvents(t.db, { filter: {}, limit: 50, offset: 0 })).rows.map((r) => `${r.action} ${r.target}`);
    expect(actions).toEqual(expect.arrayContaining(["model.embedding.start remote-new-embed", "model.activate remote-new-embed"]));
  });
});
