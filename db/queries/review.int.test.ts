import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { verifyAuditChain, listAuditEvents } from "./audit";
import { createConversation, insertMessage, listMessages, setFeedback } from "./conversations";
import { claimReviewItem, createReviewItem, decideReviewItem, getReviewItem, listReviewItems, OWN_QUESTION, ReviewConflictError } from "./review";
import { isSelfReviewAllowed, setSelfReviewAllowed } from "./settings";
import { getReviewMetrics } from "./review-metrics";
import { getRoutingQuality } from "./routing-labels";
import { createUser, SYSTEM_ACTOR } from "./users";

let t: TestDatabase;
const people: Record<string, { id: string; email: string }> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  for (const [name, role] of [["agent", "agent"], ["rita", "reviewer"], ["rob", "reviewer"]] as const) {
    const u = await createUser(t.db, { email: `${name}@x.test`, name, role, passwordHash: "x", actor: SYSTEM_ACTOR });
    people[name] = { id: u.id, email: u.email };
  }
});
afterAll(() => t.drop());

async function heldItem(question = "Can I get a refund of $900?", severity = 3, asker = people.agent!) {
  const c = await createConversation(t.db, { userId: asker.id, title: "t" });
  await insertMessage(t.db, { conversationId: c.id, role: "user", content: question });
  const m = await insertMessage(t.db, { conversationId: c.id, role: "assistant", content: "", status: "streaming" });
  const item = await createReviewItem(t.db, { messageId: m.id, agentId: asker.id, agentEmail: asker.email, kbIds: [], question, draft: "Yes, we refund $900 [1].", topic: "refunds", reasons: [{ kind: "amount", reason: "refund above $500", action: "hold" }], severity });
  return { item, conversationId: c.id, messageId: m.id };
}

describe("review queue", () => {
  it("holds the message and audits the hold in one transaction", async () => {
    const { item, conversationId } = await heldItem();
    expect(item.status).toBe("pending");
    expect((await listMessages(t.db, { conversationId }))[1]?.status).toBe("held");
    expect((await listAuditEvents(t.db, { filter: { action: "review.hold" }, limit: 5, offset: 0 })).total).toBe(1);
  });

  it("lets one reviewer claim an item; another sees who holds it until the lock expires", async () => {
    const { item } = await heldItem();
    await claimReviewItem(t.db, { id: item.id, reviewer: people.rita!, lockMinutes: 15 });
    await expect(claimReviewItem(t.db, { id: item.id, reviewer: people.rob!, lockMinutes: 15 })).rejects.toThrow(/rita is reviewing this item/);
    await expect(decideReviewItem(t.db, { id: item.id, reviewer: people.rob!, decision: { kind: "approve" } })).rejects.toThrow(/rita is reviewing this item/);
    // An expired lock can be taken over.
    await t.sql`update review_items set claim_expires_at = now() - interval '1 minute' where id = ${item.id}`;
    await claimReviewItem(t.db, { id: item.id, reviewer: people.rob!, lockMinutes: 15 });
    expect((await getReviewItem(t.db, { id: item.id }))?.claimedBy).toBe(people.rob!.id);
  });

  it("when two decisions race on one item, exactly one succeeds and the other gets a clear message", async () => {
    const { item, messageId, conversationId } = await heldItem();
    await claimReviewItem(t.db, { id: item.id, reviewer: people.rita!, lockMinutes: 15 });
    const results = await Promise.allSettled([
      decideReviewItem(t.db, { id: item.id, reviewer: people.rita!, decision: { kind: "edit", text: "We refund up to $500 [1].", diff: "d" } }),
      decideReviewItem(t.db, { id: item.id, reviewer: people.rita!, decision: { kind: "reject", note: "No." } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(ReviewConflictError);
    expect(failure.reason.message).toMatch(/already (edited|rejected) by another reviewer/);
    const final = (await getReviewItem(t.db, { id: item.id }))!;
    const message = (await listMessages(t.db, { conversationId })).find((m) => m.id === messageId)!;
    if (final.status === "edited") expect(message).toMatchObject({ status: "released", content: "We refund up to $500 [1]." });
    else expect(message.status).toBe("rejected");
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it("records before and after in the audit event and reports metrics", async () => {
    const { item } = await heldItem();
    await claimReviewItem(t.db, { id: item.id, reviewer: people.rob!, lockMinutes: 15 });
    await decideReviewItem(t.db, { id: item.id, reviewer: people.rob!, decision: { kind: "approve" } });
    const { rows } = await listAuditEvents(t.db, { filter: { action: "review.approve" }, limit: 1, offset: 0 });
    expect(rows[0]?.details).toMatchObject({ before: { status: "pending", text: "Yes, we refund $900 [1]." }, after: { status: "approved", text: "Yes, we refund $900 [1]." } });
    const metrics = await getReviewMetrics(t.db);
    expect(metrics.pending).toBe(2);
    expect(metrics.decided).toBe(2);
    expect(metrics.medianMinutes).not.toBeNull();
    expect(metrics.flagRate[0]).toMatchObject({ topic: "refunds", held: 4 });
  });

  it("does not let a reviewer claim or decide on the answer to their own question unless an admin allows it, and audits it when used", async () => {
    expect(await isSelfReviewAllowed(t.db)).toBe(false);
    const { item } = await heldItem("Can I refund my own order of $900?", 3, people.rita!);
    await expect(claimReviewItem(t.db, { id: item.id, reviewer: people.rita!, lockMinutes: 15 })).rejects.toThrow(OWN_QUESTION);
    // A claim taken while it was allowed does not let her decide once it is not.
    await claimReviewItem(t.db, { id: item.id, reviewer: people.rita!, lockMinutes: 15, allowSelfReview: true });
    await expect(decideReviewItem(t.db, { id: item.id, reviewer: people.rita!, decision: { kind: "approve" } })).rejects.toThrow(OWN_QUESTION);

    await setSelfReviewAllowed(t.db, { allowed: true, actor: people.rob! });
    expect(await isSelfReviewAllowed(t.db)).toBe(true);
    await decideReviewItem(t.db, { id: item.id, reviewer: people.rita!, decision: { kind: "approve" }, allowSelfReview: true });
    const approvals = await listAuditEvents(t.db, { filter: { action: "review.approve" }, limit: 50, offset: 0 });
    expect(approvals.rows.find((e) => e.target === item.id)?.details).toMatchObject({ selfReview: true });
    const changes = await listAuditEvents(t.db, { filter: { action: "settings.self_review" }, limit: 5, offset: 0 });
    expect(changes.rows[0]).toMatchObject({ actorEmail: "rob@x.test", details: { allowed: true } });
    await setSelfReviewAllowed(t.db, { allowed: false, actor: people.rob! });
    expect(await isSelfReviewAllowed(t.db)).toBe(false);
  });

  it("lists the most serious holds first, then the oldest", async () => {
    const grounding = await heldItem("Weakly grounded answer?", 1);
    const refund = await heldItem("Refund him $2,000?", 3);
    const order = (await listReviewItems(t.db, { status: ["pending"] })).map((r) => r.item.id);
    expect(order.indexOf(refund.item.id)).toBeLessThan(order.indexOf(grounding.item.id));
    const severities = (await listReviewItems(t.db, { status: ["pending"] })).map((r) => r.item.severity);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
  });

  it("keeps people's word on routing as labels and reports precision and recall from them", async () => {
    await t.sql`delete from routing_labels`;
    const needless = await heldItem("Where is the invoice page?", 1);
    await claimReviewItem(t.db, { id: needless.item.id, reviewer: people.rita!, lockMinutes: 15 });
    await decideReviewItem(t.db, { id: needless.item.id, reviewer: people.rita!, decision: { kind: "approve" }, neededReview: false });
    const needed = await heldItem("Refund $3,000 now?", 3);
    await claimReviewItem(t.db, { id: needed.item.id, reviewer: people.rita!, lockMinutes: 15 });
    await decideReviewItem(t.db, { id: needed.item.id, reviewer: people.rita!, decision: { kind: "approve" } });
    // An answer routing released, which the agent says should have been reviewed.
    const c = await createConversation(t.db, { userId: people.agent!.id, title: "t" });
    await insertMessage(t.db, { conversationId: c.id, role: "user", content: "Can I tell him we'll pay his repair bill?" });
    const released = await insertMessage(t.db, { conversationId: c.id, role: "assistant", content: "Yes.", status: "complete" });
    await setFeedback(t.db, { id: released.id, feedback: { rating: "down" }, missedReview: { actorId: people.agent!.id } });
    expect(await getRoutingQuality(t.db)).toEqual({ days: 90, labelled: 3, truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5 });
    const [label] = await t.sql`select question, source from routing_labels where message_id = ${released.id}`;
    expect(label).toEqual({ question: "Can I tell him we'll pay his repair bill?", source: "agent" });
    expect((await listAuditEvents(t.db, { filter: { action: "review.approve" }, limit: 5, offset: 0 })).rows.some((r) => (r.details as { neededReview?: boolean }).neededReview === false)).toBe(true);
  });
});
