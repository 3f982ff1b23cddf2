import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

test("every answer is on the record: an admin finds a turn by document version, opens its provenance and exports it, after the agent deleted the conversation", async ({ page, browser }) => {
  const agent = await browser.newPage({ baseURL: E2E.baseUrl });
  await signIn(agent, E2E.agent);
  await agent.goto("/chat");
  const question = "How long do card refunds take to show on the customer's statement?";
  await agent.getByLabel("Your question").fill(question);
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("answer-model").last()).toBeVisible({ timeout: 30_000 });
  // The agent deletes the conversation: it leaves their list, not the record.
  await expect(agent).toHaveURL(/\/chat\/([0-9a-f-]{36})$/);
  const conversationId = agent.url().split("/").at(-1)!;
  expect((await agent.request.delete(`/api/conversations/${conversationId}`)).status()).toBe(204);
  await agent.goto("/chat");
  await expect(agent.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: /card refunds take/ })).toHaveCount(0);
  await agent.close();

  await signIn(page, E2E.admin);
  await page.goto("/admin/audit");
  await page.getByRole("navigation", { name: "Audit views" }).getByRole("link", { name: "Answers" }).click();
  await page.getByLabel("Document").fill("refunds-and-returns.pdf");
  await page.getByLabel("Version").fill("1");
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.getByTestId("answer-row").filter({ hasText: question }).first();
  await expect(row).toContainText(E2E.agent.email);
  await expect(row).toContainText("refunds-and-returns.pdf@v1");
  // Version 2 of the same document was never given to any answer.
  await page.getByLabel("Version").fill("2");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("answer-row").filter({ hasText: question })).toHaveCount(0);
  await page.goBack();

  await row.getByRole("link").first().click();
  const record = page.getByTestId("answer-record");
  await expect(record).toContainText(question);
  await expect(record).toContainText("released");
  await expect(record).toContainText("e2e-scripted-model");
  await expect(page.getByTestId("record-chunks").getByRole("link", { name: "refunds-and-returns.pdf" }).first()).toHaveAttribute("href", /^\/documents\/[0-9a-f-]{36}$/);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSON" }).click();
  const exported = JSON.parse(fs.readFileSync(await (await download).path(), "utf8"));
  expect(exported).toHaveLength(1);
  expect(exported[0]).toMatchObject({ question, userEmail: E2E.agent.email, outcome: "released", answerMode: "generated", model: { id: "e2e-scripted-model" } });
  expect(exported[0].chunks.some((c: { fileName: string; docVersion: number }) => c.fileName === "refunds-and-returns.pdf" && c.docVersion === 1)).toBe(true);
});
