import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents, verifyAuditChain } from "@/db/queries/audit";
import { createConversation, insertMessage } from "@/db/queries/conversations";
import { getRoutingClassifierBody } from "@/db/queries/routing-classifiers";
import { recordRoutingLabel } from "@/db/queries/routing-labels";
import { createUser } from "@/db/queries/users";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createEmbedder, embedderConfigFromEnv, type Embedder } from "@/lib/embeddings";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { parseEnv } from "@/lib/env";
import { loadClassifier, sentenceVectorsFor, type RiskClassifier } from "./classifier";
import type { RoutingPolicy } from "./policy";
import { categorySignals } from "./category-signals";
import { getCurrentRoutingPolicy, listRoutingPolicyVersions } from "./policy-store";
import { splitLabels } from "./retrain";
import { restoreRoutingPolicy, retrainFromLabels, type RetrainDeps } from "./retrain-service";

const shipped = loadClassifier(JSON.parse(fs.readFileSync(path.resolve("models/routing/risk-classifier.json"), "utf8")));

let t: TestDatabase;
let admin: { id: string; email: string };
let conversationId: string;

/** The shipped classifier, or one the policy names from the database (hash checked, as the server does). */
let embedder: Embedder;
const deps: RetrainDeps = {
  trainingDir: path.resolve("models/routing/training"),
  get embedder() {
    return embedder;
  },
  classifierFor: async (model): Promise<RiskClassifier> => {
    if (!model) return shipped;
    const body = (await getRoutingClassifierBody(t.db, model.sha256))!;
    expect(crypto.createHash("sha256").update(body).digest("hex")).toBe(model.sha256);
    return loadClassifier(JSON.parse(body));
  },
};

async function label(question: string, neededReview: boolean) {
  const message = await insertMessage(t.db, { conversationId, role: "assistant", content: "", status: "held" });
  await recordRoutingLabel(t.db, { messageId: message.id, question, neededReview, routedToReview: true, source: "reviewer", actorId: admin.id });
}

// Routine in this organisation, but worded like money: the shipped classifier holds them.
const LATE_FEES = ["March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "January", "February", "spring", "summer", "autumn"].map(
  (month) => `We were charged a late fee on our ${month} invoice, why?`,
);

/** The classifier's category signals for a question, with the sentence vector it reads. */
async function signals(question: string, classifier: RiskClassifier, policy: RoutingPolicy) {
  const [vector] = await sentenceVectorsFor(classifier, embedder)!([question]);
  return categorySignals(question, classifier, policy, vector);
}

beforeAll(async () => {
  const env = parseEnv({});
  await ensureDefaultEmbeddingModel(env.modelsDir);
  embedder = await createEmbedder(embedderConfigFromEnv(env));
  t = await createTestDatabase();
  const user = await createUser(t.db, { email: "retrain-admin@x.test", name: "Ria", role: "admin", passwordHash: "x", actor: { id: null, email: "test" } });
  admin = { id: user.id, email: user.email };
  conversationId = (await createConversation(t.db, { userId: user.id, title: "labels" })).id;
});
afterAll(() => t.drop());

describe("retraining the risk classifier from labels", () => {
  it("refuses with fewer than 10 labels and changes nothing", async () => {
    for (const q of LATE_FEES.slice(0, 3)) await label(q, false);
    await expect(retrainFromLabels(t.db, admin, deps)).rejects.toThrow("at least 10 labelled decisions; there are 3");
    expect((await getCurrentRoutingPolicy(t.db)).version).toBe(1);
  });

  it("keeps a candidate that scores at least as well on held-out labels as a new, audited policy version", async () => {
    for (const q of LATE_FEES.slice(3)) await label(q, false);
    const policy = (await getCurrentRoutingPolicy(t.db)).policy;
    expect(await signals(LATE_FEES[0]!, shipped, policy)).not.toEqual([]);

    const result = await retrainFromLabels(t.db, admin, deps);
    expect(result).toMatchObject({ labels: 15, heldOut: 3, version: 2 });
    expect(result.candidate.correct).toBeGreaterThanOrEqual(result.active.correct);
    const current = await getCurrentRoutingPolicy(t.db);
    const model = current.policy.classifier!.model!;
    expect(model).toMatchObject({ labels: 15, heldOut: 3 });
    const retrained = await deps.classifierFor(model);
    expect(await signals("We got charged a late fee on the invoice for Q3, why is that?", retrained, current.policy)).toEqual([]);
    // What it learnt is this organisation's routine, not that money is routine.
    expect(await signals("Can you refund the customer's whole annual plan today?", retrained, current.policy)).not.toEqual([]);

    const { rows } = await listAuditEvents(t.db, { filter: { action: "policy.routing.update" }, limit: 5, offset: 0 });
    expect(rows[0]!.details).toMatchObject({ version: 2, retrain: { labels: 15, heldOut: 3, basedOn: { policyVersion: 1, classifier: "shipped" } } });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("keeps the active classifier, and audits why, when the candidate scores worse", async () => {
    // The labels that train say a money question is routine; the held-out ones say it needed review.
    const conversation = (await createConversation(t.db, { userId: admin.id, title: "contradicting" })).id;
    conversationId = conversation;
    const ids = await Promise.all(Array.from({ length: 40 }, () => insertMessage(t.db, { conversationId, role: "assistant", content: "", status: "held" })));
    const existing = await t.sql<{ message_id: string; question: string; needed_review: boolean }[]>`select message_id, question, needed_review from routing_labels`;
    const all = [...existing.map((r) => ({ messageId: r.message_id, question: r.question, neededReview: r.needed_review })), ...ids.map((m) => ({ messageId: m.id, question: "", neededReview: false }))];
    const heldOut = new Set(splitLabels(all).heldOut.map((l) => l.messageId));
    for (const m of ids) {
      const held = heldOut.has(m.id);
      await recordRoutingLabel(t.db, { messageId: m.id, question: "Please refund the customer's annual plan in full today", neededReview: held, routedToReview: true, source: "reviewer", actorId: admin.id });
    }
    const before = await getCurrentRoutingPolicy(t.db);
    const result = await retrainFromLabels(t.db, admin, deps);
    expect(result.version).toBeUndefined();
    expect(result.candidate.caught).toBeLessThan(result.active.caught);
    expect(result.summary).toContain("the active one stays");
    expect((await getCurrentRoutingPolicy(t.db)).version).toBe(before.version);
    const { rows } = await listAuditEvents(t.db, { filter: { action: "policy.routing.retrain_rejected" }, limit: 5, offset: 0 });
    expect(rows[0]!.details).toMatchObject({ accepted: false, labels: 55 });
  });

  it("restores an older version, with its classifier, as a new audited version", async () => {
    const restored = await restoreRoutingPolicy(t.db, admin, { version: 1, baseVersion: 2 });
    expect(restored.version).toBe(3);
    expect(restored.policy.classifier?.model).toBeUndefined();
    expect((await listRoutingPolicyVersions(t.db)).map((v) => v.version)).toEqual([3, 2, 1]);
    const { rows } = await listAuditEvents(t.db, { filter: { action: "policy.routing.update" }, limit: 1, offset: 0 });
    expect(rows[0]!.details).toMatchObject({ version: 3, restoredFrom: 1 });
    await expect(restoreRoutingPolicy(t.db, admin, { version: 2, baseVersion: 2 })).rejects.toThrow("changed by someone else");
  });
});
