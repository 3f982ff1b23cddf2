import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

const QUESTION = "Our outage lasted two days. Can you promise us compensation of $2,000 in service credits?";

test("a high-stakes answer is held, a reviewer edits and approves it, and the agent sees it without reloading", async ({ browser }) => {
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, E2E.agent);
  await agent.goto("/chat");
  await agent.getByLabel("Your question").fill(QUESTION);
  await agent.getByLabel("Your question").press("Enter");
  // The agent reads why, in plain words, and the matching passages (never the draft) while waiting.
  await expect(agent.getByTestId("held-notice").last()).toHaveText(/^Held for review: \S/);
  await expect(agent.getByTestId("waiting-passages").last().getByRole("listitem").first()).toBeVisible();
  // Nothing of the held draft reaches the browser: the raw event stream of the same question carries no answer text.
  // (Asked again through the API, after the page's question, so the page's item stays the oldest in the queue.)
  const raw = await (await agent.request.post("/api/chat", { data: { message: QUESTION } })).text();
  expect(raw).toContain('"type":"held"');
  expect(raw).not.toContain('"type":"token"');
  expect(raw).not.toContain("Here is what the knowledge base says");

  const reviewerCtx = await browser.newContext();
  const reviewer = await reviewerCtx.newPage();
  await signIn(reviewer, E2E.reviewer);
  await expect(reviewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Review/ })).toContainText(/\d/);
  await reviewer.goto("/review");
  await reviewer.getByTestId("review-row").filter({ hasText: "promise us compensation" }).first().click();
  await expect(reviewer.getByTestId("review-question")).toHaveText(QUESTION);
  await expect(reviewer.getByTestId("risk-reasons")).not.toBeEmpty();
  const itemId = reviewer.url().split("/").at(-1)!;

  // An agent cannot decide through the API.
  const forbidden = await agent.request.post(`/api/review/${itemId}/decision`, { data: { kind: "approve" } });
  expect(forbidden.status()).toBe(403);

  await reviewer.getByRole("button", { name: "Claim" }).click();
  await expect(reviewer.getByTestId("lock-state")).toContainText("Claimed by you");
  await reviewer.getByRole("button", { name: "Edit" }).click();
  const edited = "We can't promise compensation in chat. Outage credits follow the service-level policy [1]; your account manager will confirm the amount.";
  await reviewer.getByLabel("Edited answer").fill(edited);
  await expect(reviewer.getByTestId("edit-diff").locator("ins").first()).toBeVisible();
  await reviewer.getByRole("button", { name: "Approve with edits" }).click();
  await expect(reviewer).toHaveURL(/\/review(\/[0-9a-f-]+)?$/);

  // The agent's open page picks up the decision by itself.
  await expect(agent.getByTestId("answer-text").last()).toContainText("We can't promise compensation in chat", { timeout: 20_000 });
  await expect(agent.getByTestId("review-state").last()).toHaveText("Edited and approved by a reviewer");
  // The text the agent reads is the reviewer's: said so, with the model's draft behind it.
  await expect(agent.getByTestId("answer-model").last()).toHaveText("Written by a reviewer, from e2e-scripted-model's draft");
  await agent.goto("/chat/awaiting-review");
  const held = agent.getByTestId("held-item").filter({ hasText: "promise us compensation" });
  await expect(held).toHaveCount(2); // the page's question and the one asked through the API
  await expect(held.filter({ hasText: "edited" })).toHaveCount(1);
  await expect(held.filter({ hasText: "pending" })).toHaveCount(1);
  await agentCtx.close();
  await reviewerCtx.close();
});

test("a question that names no topic but reads as high-stakes is held with its category, which the admin can set", async ({ browser }) => {
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, E2E.agent);
  await agent.goto("/chat");
  await agent.getByLabel("Your question").fill("Sensor S2 battery burned his fingers");
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("held-notice").last()).toHaveText("Held for review: physical safety");
  await agentCtx.close();

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, E2E.admin);
  await admin.goto("/admin/policy");
  const safety = admin.getByTestId("category-safety");
  await expect(safety).toContainText("Physical safety");
  await expect(safety.getByLabel("Action for physical safety")).toHaveValue("hold");
  await expect(safety.getByLabel("Threshold for physical safety")).toHaveAttribute("placeholder", "0.35");
  await adminCtx.close();
});

test("a reviewer marks a routine hold 'did not need review', and Admin › Review policy counts it", async ({ browser }) => {
  const question = "Why were we charged a late fee on our invoice?";
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, E2E.agent);
  await agent.goto("/chat");
  await agent.getByLabel("Your question").fill(question);
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("held-notice").last()).toHaveText(/^Held for review: \S/);
  await agentCtx.close();

  const reviewerCtx = await browser.newContext();
  const reviewer = await reviewerCtx.newPage();
  await signIn(reviewer, E2E.reviewer);
  await reviewer.goto("/review");
  await reviewer.getByTestId("review-row").filter({ hasText: "charged a late fee on our invoice" }).first().click();
  await reviewer.getByRole("button", { name: "Claim" }).click();
  await reviewer.getByLabel(/Did not need review/).check();
  await reviewer.getByRole("button", { name: /^Approve/ }).click();
  await expect(reviewer).toHaveURL(/\/review(\/[0-9a-f-]+)?$/);
  await reviewerCtx.close();

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, E2E.admin);
  await admin.goto("/admin/policy");
  await expect(admin.getByTestId("routing-false-holds")).toHaveText("1");
  await expect(admin.getByTestId("routing-precision")).not.toHaveText("1.00");
  await adminCtx.close();
});

test("an agent reports a released answer that should have gone to a reviewer, and Admin › Review policy counts it", async ({ browser }) => {
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, E2E.agent);
  await agent.goto("/chat");
  await agent.getByLabel("Your question").fill("How do refunds work for a customer?");
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("answer-model").last()).toHaveText("Answered by e2e-scripted-model");
  await agent.getByRole("button", { name: "Bad answer" }).last().click();
  await agent.getByLabel("What was wrong?").fill("This promises a refund timeline; a reviewer should see it.");
  await agent.getByLabel("Should have gone to a reviewer").check();
  const sent = agent.waitForResponse((r) => r.url().includes("/feedback") && r.ok());
  await agent.getByTestId("assistant-message").last().getByRole("button", { name: "Send" }).click();
  await sent;
  await agentCtx.close();

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, E2E.admin);
  await admin.goto("/admin/policy");
  await expect(admin.getByTestId("routing-missed")).toHaveText("1");
  await expect(admin.getByTestId("routing-recall")).not.toHaveText("1.00");
  await adminCtx.close();
});

test("the admin retrains the classifier from reviewers' labels: a new version that can be restored", async ({ browser }) => {
  test.setTimeout(240_000);
  // Routine late-fee questions the shipped classifier reads as money: reviewers mark each hold "did not need review".
  // (Worded as this organisation's agents word them; the probe below is one they did not label.)
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, E2E.agent);
  const reviewerCtx = await browser.newContext();
  const reviewer = await reviewerCtx.newPage();
  await signIn(reviewer, E2E.reviewer);
  let labelled = 0;
  const variants = [
    "Our client got charged a late fee on the invoice, why?",
    "My client was charged a late fee on the invoice, why?",
    "Our client was charged a late fee on their invoice, why?",
    "Our client was charged a late fee on the last invoice, why?",
    "Our client was charged late fees on the invoice, why?",
    "The client was charged a late fee on the invoice, why?",
    "Our client was just charged a late fee on the invoice, why?",
    "Our client was charged a late payment fee on the invoice, why?",
    "Our client has been charged a late fee on the invoice, why?",
  ];
  for (const question of variants) {
    const raw = await (await agent.request.post("/api/chat", { data: { message: question } })).text();
    const itemId = /"reviewItemId":"([0-9a-f-]+)"/.exec(raw)?.[1];
    if (!itemId) continue; // answered or not found: nothing for a reviewer to label
    expect((await reviewer.request.post(`/api/review/${itemId}/claim`)).ok()).toBe(true);
    expect((await reviewer.request.post(`/api/review/${itemId}/decision`, { data: { kind: "approve", neededReview: false } })).ok()).toBe(true);
    labelled++;
  }
  // With the earlier tests' decisions and report, at least the 10 labels a retrain needs.
  expect(labelled).toBeGreaterThanOrEqual(7);
  await agentCtx.close();
  await reviewerCtx.close();

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, E2E.admin);
  await admin.goto("/admin/policy");
  const tryIt = async (question: string) => {
    await admin.getByPlaceholder(/e\.g\. Can you refund/).fill(question);
    const answered = admin.waitForResponse((r) => r.url().endsWith("/api/admin/policy/try"));
    await admin.getByRole("button", { name: "Check" }).click();
    await answered;
    await expect(admin.getByRole("button", { name: "Check" })).toBeEnabled();
    return admin.getByTestId("try-result").innerText();
  };
  const lateFee = "Our client was charged a late fee on the invoice, why?";
  expect(await tryIt(lateFee)).toContain("reads as money commitment");
  await expect(admin.getByTestId("classifier-in-use")).toContainText("shipped model");
  const history = admin.getByTestId("policy-history");
  const before = Number((await history.getByRole("listitem").first().innerText()).match(/Version (\d+)/)![1]);

  await admin.getByRole("button", { name: "Retrain from labels" }).click();
  await expect(admin.getByTestId("retrain-result")).toContainText(`Saved as version ${before + 1}`, { timeout: 180_000 });
  await expect(admin.getByTestId("classifier-in-use")).toContainText("Retrained");
  await expect(history.getByRole("listitem").first()).toContainText(`Version ${before + 1}`);
  await expect(history.getByRole("listitem").first()).toContainText("retrained on");
  // The editor (and its "Try a question") now works on the new version.
  await expect(admin.getByTestId("policy-version")).toHaveText(`Version ${before + 1}`);
  expect(await tryIt(lateFee)).not.toContain("reads as money commitment");
  expect(await tryIt("Can you refund the customer's whole annual plan today?")).toContain("reads as money commitment");

  // Reversible: restoring the version before brings the shipped classifier back, as a new version.
  admin.once("dialog", (dialog) => void dialog.accept());
  await history.getByRole("listitem").filter({ hasText: new RegExp(`^Version ${before}(?!\\d)`) }).getByRole("button", { name: "Restore" }).click();
  await expect(history.getByRole("listitem").first()).toContainText(`Version ${before + 2}`);
  await expect(admin.getByTestId("classifier-in-use")).toContainText("shipped model");
  expect(await tryIt(lateFee)).toContain("reads as money commitment");
  await adminCtx.close();
});

test("a reviewer cannot decide on the answer to their own question unless the admin allows it for a small team", async ({ browser }) => {
  const ctx = await browser.newContext();
  const reviewer = await ctx.newPage();
  await signIn(reviewer, E2E.reviewer);
  const own = "Can you promise me a refund of $3,000 for my own broken order?";
  const raw = await (await reviewer.request.post("/api/chat", { data: { message: own } })).text();
  expect(raw).toContain('"type":"held"');
  await reviewer.goto("/review");
  const row = reviewer.getByTestId("review-row").filter({ hasText: "for my own broken order" });
  await expect(row).toContainText("your own question: another reviewer decides");
  await row.click();
  await expect(reviewer.getByTestId("own-question")).toContainText("You asked this question, so another reviewer must decide on its answer");
  await expect(reviewer.getByRole("button", { name: "Claim" })).toHaveCount(0);
  const itemId = reviewer.url().split("/").at(-1)!;
  // Nor through the API.
  const refused = await reviewer.request.post(`/api/review/${itemId}/claim`);
  expect(refused.status()).toBe(409);

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, E2E.admin);
  await admin.goto("/admin/policy");
  const duties = admin.getByTestId("self-review-card");
  // Retried: a click before the page hydrates does nothing.
  const setAllowed = (on: boolean) => expect(async () => {
    await duties.getByRole("checkbox").setChecked(on, { timeout: 2_000 });
    await expect(duties.getByRole("status")).toContainText(on ? "Saved. Reviewers may now decide on their own questions" : "Another reviewer decides", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await setAllowed(true);
  await reviewer.reload();
  await reviewer.getByRole("button", { name: "Claim" }).click();
  await expect(reviewer.getByTestId("lock-state")).toContainText("Claimed by you");
  await reviewer.getByRole("button", { name: /^Reject/ }).click();
  await reviewer.getByLabel("Note for the agent (required)").fill("Ask your manager.");
  await reviewer.getByRole("button", { name: "Reject" }).click();
  // Decided: the page moves on to the next item or the queue.
  await expect(reviewer).not.toHaveURL(new RegExp(itemId));
  await admin.goto("/admin/audit?action=review.reject");
  const event = admin.getByTestId("audit-row").filter({ hasText: itemId });
  await expect(event.locator("td").last()).toHaveAttribute("title", /"selfReview":true/);
  await admin.goto("/admin/policy");
  await setAllowed(false);
  await adminCtx.close();
  await ctx.close();
});

test("a card number in a question is masked wherever the question is listed, and whole only on the item's own page", async ({ browser }) => {
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, E2E.agent);
  await agent.goto("/chat");
  await agent.getByLabel("Your question").fill("My card 4111 1111 1111 1111 was charged twice for the outage credit, can you refund it?");
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("held-notice").last()).toBeVisible();
  const list = agent.getByRole("navigation", { name: "Conversations" });
  await expect(list).toContainText("My card ••••••••1111 was charged twice");
  await expect(list).not.toContainText("4111 1111");
  await agent.goto("/chat/awaiting-review");
  await expect(agent.getByTestId("held-item").filter({ hasText: "charged twice" }).first()).toContainText("••••••••1111");
  await expect(agent.locator("main")).not.toContainText("4111 1111");
  await agentCtx.close();

  const reviewerCtx = await browser.newContext();
  const reviewer = await reviewerCtx.newPage();
  await signIn(reviewer, E2E.reviewer);
  await reviewer.goto("/review");
  const row = reviewer.getByTestId("review-row").filter({ hasText: "charged twice" }).first();
  await expect(row).toContainText("My card ••••••••1111");
  await expect(reviewer.locator("main")).not.toContainText("4111 1111");
  await row.click();
  await expect(reviewer.getByTestId("review-question")).toHaveText("My card 4111 1111 1111 1111 was charged twice for the outage credit, can you refund it?");
  await reviewerCtx.close();
});
