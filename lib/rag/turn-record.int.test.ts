/** Every turn on the record: written with the answer, kept when the conversation goes, chained into the audit log. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { deleteConversation, listConversations } from "@/db/queries/conversations";
import { createKnowledgeBase } from "@/db/queries/knowledge-bases";
import { claimReviewItem, decideReviewItem, getReviewItemForMessage } from "@/db/queries/review";
import { listTurnRecords, purgeTurnTexts, recordHash, sha256, verifyTurnRecords } from "@/db/queries/turn-records";
import { setRetention } from "@/db/queries/settings";
import { createUser, SYSTEM_ACTOR } from "@/db/queries/users";
import { startRetentionJob } from "@/lib/audit/retention";
import { verifyAuditChain } from "@/db/queries/audit";
import { turnRecords } from "@/db/schema";
import { acceptUploads } from "@/ingest/upload";
import { startIngestWorker } from "@/ingest/worker";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { openEngines, type Engines } from "@/lib/engines/open";
import { parseEnv } from "@/lib/env";
import type { ChatModel } from "@/lib/llm";
import { createLogger } from "@/lib/log";
import { runTurn, type TurnAssessor, type TurnDeps, type TurnEvent } from "./turn";

let t: TestDatabase;
let engines: Engines;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-record-"));
let agent: { id: string; email: string };
let reviewer: { id: string; email: string };
let kb: { id: string; topK: number; minScore: number };

const model: ChatModel = {
  id: "served-model",
  async *stream() {
    for (const token of "Refunds take 14 days [1].".match(/\S+\s*/g)!) yield { type: "token", text: token };
    yield { type: "done", result: { text: "Refunds take 14 days [1].", model: "served-model", usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, estimated: false }, finishReason: "stop" } };
  },
  async complete() {
    return { text: "", model: "served-model", usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false }, finishReason: "stop" };
  },
};
const release: TurnAssessor = { policyVersion: 3, question: async () => ({ decision: "release", signals: [] }), answer: ({ prior }) => prior };
const hold: TurnAssessor = {
  policyVersion: 3,
  question: async () => ({ decision: "hold", topic: "money", signals: [{ kind: "category", topicId: "money", label: "money commitment", score: 0.9, action: "hold", reason: "The question reads as money commitment." }] }),
  answer: ({ prior }) => prior,
};

function deps(assessor: TurnAssessor, keepTexts = true): TurnDeps {
  return {
    db: t.db,
    embedder: engines.embedder,
    store: engines.store,
    llm: { model, maxTokens: 32 },
    assessor,
    provenance: { modelPolicyVersion: 7, reviewPolicyVersion: 3, keepTexts, model: { id: "served-model", manifestEntry: "writer-entry", files: [{ path: "w.gguf", sha256: "ab".repeat(32) }], adapters: [] } },
  };
}

async function ask(question: string, d: TurnDeps) {
  const events: TurnEvent[] = [];
  for await (const e of runTurn({ user: agent, question, kbs: [kb] }, d)) events.push(e);
  const done = events.at(-1)!;
  if (done.type !== "done") throw new Error("no done event");
  return done.message;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const env = parseEnv({ DATA_DIR: dir });
  await ensureDefaultEmbeddingModel(env.modelsDir);
  engines = await openEngines(env);
  agent = await createUser(t.db, { email: "agent@r.test", name: "Agent", role: "agent", passwordHash: "x", actor: SYSTEM_ACTOR });
  reviewer = await createUser(t.db, { email: "reviewer@r.test", name: "Reviewer", role: "reviewer", passwordHash: "x", actor: SYSTEM_ACTOR });
  const created = await createKnowledgeBase(t.db, { slug: "policies", name: "Policies", description: "", visibility: "all", readerIds: [], actor: SYSTEM_ACTOR });
  kb = { id: created.id, topK: created.topK, minScore: created.minScore };
  await acceptUploads([{ fileName: "refunds.md", bytes: new TextEncoder().encode("# Refunds\n\nRefunds for annual plans are issued within 14 days of the request.\n") }], { db: t.db, filesDir: path.join(dir, "files"), kbId: kb.id, maxBytes: 1e6, actor: SYSTEM_ACTOR });
  const worker = startIngestWorker({ db: t.db, sql: t.sql, store: engines.store, embedder: engines.embedder, filesDir: path.join(dir, "files"), log: createLogger({ level: "silent" }), pollMs: 100 });
  await worker.idle();
  await worker.stop();
});
afterAll(async () => {
  await engines.close();
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("turn records", () => {
  it("records a released answer with its passages, model, policies and the text shown, chained into the audit log", async () => {
    const message = await ask("How long do refunds take for annual plans?", deps(release));
    const [record] = await listTurnRecords(t.db, { user: agent.email });
    expect(record).toMatchObject({
      messageId: message.id,
      outcome: "released",
      answerMode: "generated",
      question: "How long do refunds take for annual plans?",
      answer: message.content,
      answerSha256: sha256(message.content),
      modelPolicyVersion: 7,
      reviewPolicyVersion: 3,
      model: { id: "served-model", manifestEntry: "writer-entry" },
      assessment: { decision: "release" },
    });
    expect(record!.chunks[0]).toMatchObject({ fileName: "refunds.md", docVersion: 1 });
    expect((await listTurnRecords(t.db, { docId: record!.chunks[0]!.docId, docVersion: 1 })).map((r) => r.id)).toContain(record!.id);
    expect(await listTurnRecords(t.db, { docId: record!.chunks[0]!.docId, docVersion: 2 })).toEqual([]);
    expect((await listTurnRecords(t.db, { model: "served-model" })).length).toBeGreaterThan(0);
    expect(await verifyTurnRecords(t.db)).toMatchObject({ broken: [] });
  });

  it("writes the record in the transaction that finishes the message: if the record cannot be written, the answer is not marked done", async () => {
    // A trigger standing in for any failure inside that transaction.
    await t.db.execute(sql`create function fail_record() returns trigger language plpgsql as $$ begin raise exception 'record refused'; end $$`);
    await t.db.execute(sql`create trigger fail_record before insert on turn_records for each row execute function fail_record()`);
    try {
      await expect(ask("How long do refunds take for annual plans?", deps(release))).rejects.toThrow(/turn_records/);
      const streaming = await t.db.execute(sql`select count(*)::int as n from messages where role = 'assistant' and status = 'streaming'`);
      expect((streaming as unknown as { n: number }[])[0]!.n).toBe(1);
    } finally {
      await t.db.execute(sql`drop trigger fail_record on turn_records`);
      await t.db.execute(sql`drop function fail_record`);
    }
  });

  it("keeps a held turn, its review item and its record when the agent deletes the conversation, and records the reviewer's release", async () => {
    const message = await ask("Can I promise a full refund of the annual plan?", deps(hold));
    expect(message.status).toBe("held");
    const conversationId = message.conversationId;
    expect(await deleteConversation(t.db, { id: conversationId, userId: agent.id })).toBeTruthy();
    expect((await listConversations(t.db, { userId: agent.id })).map((c) => c.id)).not.toContain(conversationId);
    const item = (await getReviewItemForMessage(t.db, { messageId: message.id }))!;
    expect(item.status).toBe("pending");
    await claimReviewItem(t.db, { id: item.id, reviewer, lockMinutes: 5 });
    await decideReviewItem(t.db, { id: item.id, reviewer, decision: { kind: "approve" } });
    const [record] = (await listTurnRecords(t.db, { outcome: "released" })).filter((r) => r.messageId === message.id);
    expect(record).toMatchObject({ conversationId, outcome: "released", answer: item.draft, answerSha256: sha256(item.draft), review: { reviewerEmail: reviewer.email, decision: "approved" } });
    expect(await verifyTurnRecords(t.db)).toMatchObject({ broken: [] });
  });

  it("is caught by verification when a record is altered afterwards, even with its own hash recomputed by hand", async () => {
    const [record] = await listTurnRecords(t.db, { outcome: "released" });
    const altered = { ...record!, model: { ...record!.model!, id: "another-model" } };
    await t.db.execute(sql`update turn_records set model = ${JSON.stringify(altered.model)}::jsonb, sha256 = ${recordHash(altered)} where id = ${record!.id}`);
    const verdict = await verifyTurnRecords(t.db);
    expect(verdict.broken).toEqual([{ id: record!.id, reason: "its content changed after the audit log recorded it" }]);
    await t.db.execute(sql`update turn_records set model = ${JSON.stringify(record!.model)}::jsonb, sha256 = ${record!.sha256} where id = ${record!.id}`);
    expect((await verifyTurnRecords(t.db)).broken).toEqual([]);
    await t.db.execute(sql`update turn_records set answer = 'We will refund everything.' where id = ${record!.id}`);
    expect((await verifyTurnRecords(t.db)).broken).toEqual([{ id: record!.id, reason: "its answer text does not match its hash" }]);
    await t.db.execute(sql`update turn_records set answer = ${record!.answer} where id = ${record!.id}`);
  });

  it("keeps only hashes when the retention setting says so, and a purge clears older texts, audited, leaving hashes", async () => {
    await ask("How long do refunds take for annual plans, exactly?", deps(release, false));
    const hashed = (await listTurnRecords(t.db, {}))[0]!;
    expect([hashed.question, hashed.answer, hashed.questionSha256]).toEqual([null, null, sha256("How long do refunds take for annual plans, exactly?")]);
    const purged = await purgeTurnTexts(t.db, { before: new Date(Date.now() + 1000), actor: SYSTEM_ACTOR });
    expect(purged).toBeGreaterThan(0);
    const rows = await t.db.select().from(turnRecords);
    expect(rows.every((r) => r.question === null && r.answer === null && r.questionSha256.length === 64)).toBe(true);
    expect(await verifyTurnRecords(t.db)).toMatchObject({ broken: [] });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    const events = await t.db.execute(sql`select details from audit_events where action = 'turn.purge'`);
    expect((events as unknown as { details: { records: number } }[])[0]!.details.records).toBe(purged);
  });

  it("the retention job purges texts only past the admin's retention period", async () => {
    await setRetention(t.db, { days: 30, keepTexts: true, actor: SYSTEM_ACTOR });
    const message = await ask("How long do refunds take for annual plans, in days?", deps(release));
    const job = startRetentionJob(t.db, { onError: (e) => { throw e; }, everyMs: 3_600_000, now: () => new Date(Date.now() + 29 * 86_400_000) });
    try {
      expect(await job.run()).toBe(0);
      expect((await listTurnRecords(t.db, {})).find((r) => r.messageId === message.id)!.question).not.toBeNull();
    } finally {
      job.stop();
    }
    const later = startRetentionJob(t.db, { onError: (e) => { throw e; }, now: () => new Date(Date.now() + 31 * 86_400_000) });
    try {
      expect(await later.run()).toBe(1);
      expect((await listTurnRecords(t.db, {})).find((r) => r.messageId === message.id)).toMatchObject({ question: null, answer: null });
    } finally {
      later.stop();
    }
  });
});
