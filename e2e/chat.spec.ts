import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

test("an agent asks a question, watches the answer stream in, and opens the cited passage", async ({ page }) => {
  await signIn(page, E2E.agent);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Chat"]);
  await page.goto("/chat");
  await expect(page.getByText("Answering model: e2e-scripted-model")).toBeVisible();
  await page.getByLabel("Your question").fill("How do refunds work for a customer?");
  await page.getByLabel("Your question").press("Enter");

  const answer = page.getByTestId("answer-text").last();
  // While generating, the Stop button shows and part of the answer is already on screen.
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(answer).toContainText("Refund requests are accepted");
  const partial = await answer.innerText();
  await expect(answer).toContainText("original payment method");
  expect(partial.length).toBeLessThan((await answer.innerText()).length);
  await expect(page.getByTestId("answer-model").last()).toHaveText("Answered by e2e-scripted-model");
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);

  await answer.getByRole("button", { name: "Source 1" }).click();
  const panel = page.getByTestId("source-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByText("Source 1", { exact: true })).toBeVisible();
  await expect(panel.getByTestId("source-passage")).toContainText(/refund/i);
  await expect(panel.getByTestId("source-passage").locator("mark").first()).toBeVisible();
  // Rendered, not raw Markdown; and only words that carry meaning are marked.
  await expect(panel.getByTestId("source-passage")).not.toContainText("##");
  await expect(panel.getByTestId("source-passage").locator("mark").filter({ hasText: /^(the|with|from|are|to)$/i })).toHaveCount(0);
  await expect(panel.getByRole("link", { name: /Open the original/ })).toHaveAttribute("href", /^\/documents\/[0-9a-f-]{36}\?m=[0-9a-f-]{36}&n=1#vouch-passage$/);

  // History is kept: after a reload the conversation and its citations are still there.
  await page.reload();
  await expect(page.getByTestId("answer-text").last()).toContainText("original payment method");
  await expect(page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: /How do refunds work/ })).toBeVisible();
});

test("New conversation clears the thread after an answer, and the next question starts another conversation", async ({ page }) => {
  await signIn(page, E2E.agent);
  await page.goto("/chat");
  await page.getByLabel("Your question").fill("How many devices can a trial account connect?");
  await page.getByLabel("Your question").press("Enter");
  await expect(page.getByTestId("answer-model").last()).toBeVisible();
  await expect(page).toHaveURL(/\/chat\/([0-9a-f-]{36})$/);
  const first = page.url();
  await page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: "New conversation" }).click();
  await expect(page.getByTestId("answer-text")).toHaveCount(0);
  await expect(page).toHaveURL(/\/chat$/);
  await page.getByLabel("Your question").fill("What does ground shipping cost in the United States?");
  await page.getByLabel("Your question").press("Enter");
  await expect(page.getByTestId("answer-model").last()).toBeVisible();
  await expect(page.getByTestId("answer-text")).toHaveCount(1);
  await expect(page).toHaveURL(/\/chat\/([0-9a-f-]{36})$/);
  expect(page.url()).not.toBe(first);
});

test("a question the knowledge base does not cover gets a plain not-found answer", async ({ page }) => {
  await signIn(page, E2E.agent);
  await page.goto("/chat");
  // Off-topic and harmless (an off-topic question that reads as high-stakes goes to a reviewer instead).
  await page.getByLabel("Your question").fill("What's the weather in Paris today?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("answer-text").last()).toHaveText("I couldn't find this in the knowledge base.");
  await expect(page.getByTestId("answer-model").last()).toHaveText("No model was called");
});

test("a long question shows its length near the limit, cannot be sent past it, and a refused question is kept", async ({ page }) => {
  await signIn(page, E2E.agent);
  await page.goto("/chat");
  const box = page.getByLabel("Your question");
  await box.fill("Why? ".repeat(801)); // 4,005 characters
  await expect(page.getByTestId("question-length")).toHaveText("4,005 / 4,000 characters: shorten the question to send it");
  await expect(page.getByRole("button", { name: "Send" })).toBeDisabled();
  await box.press("Enter");
  await expect(box).toHaveValue("Why? ".repeat(801));
  await box.fill("Why? ".repeat(790));
  await expect(page.getByTestId("question-length")).toHaveText("3,950 / 4,000 characters");
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();

  // The server refuses it (here, a stand-in for any refusal): the question is back in the box, worded for a person.
  await page.route("**/api/chat", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ message: "The assistant is restarting. Try again in a moment." }) }));
  await box.fill("How long do refunds take?");
  await box.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "restarting" })).toHaveText("The assistant is restarting. Try again in a moment.");
  await expect(box).toHaveValue("How long do refunds take?");
  await page.unroute("**/api/chat");

  // Straight to the API, the limit is worded without field names.
  const res = await page.request.post("/api/chat", { data: { message: "x".repeat(4001) } });
  expect(res.status()).toBe(400);
  expect((await res.json()).message).toBe("Questions are limited to 4,000 characters.");
});

for (const [size, viewport] of [["a laptop", { width: 1280, height: 800 }], ["a phone", { width: 390, height: 844 }]] as const) {
  test(`on ${size} the question box stays on screen and the page does not scroll, with answers and a source open`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport });
    const page = await ctx.newPage();
    await signIn(page, E2E.agent);
    await page.goto("/chat");
    const fits = async () => {
      const box = (await page.getByLabel("Your question").boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
    };
    await fits();
    for (let i = 0; i < 3; i++) {
      await page.getByLabel("Your question").fill(`How do refunds work for a customer? (${i})`);
      await page.getByLabel("Your question").press("Enter");
      await expect(page.getByTestId("answer-model")).toHaveCount(i + 1, { timeout: 30_000 });
    }
    await fits();
    if (viewport.width > 1000) {
      await page.locator("[data-cite]").first().click();
      await expect(page.getByTestId("source-panel")).toBeVisible();
      await fits();
    }
    await ctx.close();
  });
}

test("an answer stopped mid-way shows as interrupted, with its passages and a Retry that answers again", async ({ page }) => {
  await signIn(page, E2E.agent);
  await page.goto("/chat");
  await page.getByLabel("Your question").fill("How do refunds work for an annual customer?");
  await page.getByLabel("Your question").press("Enter");
  await expect(page.getByTestId("answer-text").last()).toContainText("Refund", { timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  const interrupted = page.getByTestId("interrupted");
  await expect(interrupted).toContainText("This answer was interrupted before its end");
  // As the server recorded it: after a reload too, with the passages it had found.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("interrupted")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("answer-model").last()).toContainText("Interrupted");
  await expect(page.getByTestId("waiting-passages").last().getByRole("listitem").first()).toBeVisible();
  await page.getByTestId("interrupted").getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("answer-model").last()).toHaveText("Answered by e2e-scripted-model", { timeout: 30_000 });
  await expect(page.getByTestId("interrupted")).toHaveCount(0);
});
