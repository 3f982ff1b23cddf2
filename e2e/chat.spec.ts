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
  await expect(panel.getByRole("link", { name: /Open the original/ })).toHaveAttribute("href", /\/api\/documents\/[0-9a-f-]{36}\/file/);

  // History is kept: after a reload the conversation and its citations are still there.
  await page.reload();
  await expect(page.getByTestId("answer-text").last()).toContainText("original payment method");
  await expect(page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: /How do refunds work/ })).toBeVisible();
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
