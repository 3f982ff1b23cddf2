import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";
import { uploadQuestionSet } from "./fixtures/evaluation";

const QUESTIONS = [
  { question: "How long do card refunds take to show on the customer's statement?", documents: ["refunds-and-returns.pdf"], fact: "5 to 10 business days", high: false },
  { question: "How long does ground shipping take in the United States?", documents: ["shipping-and-delivery.html"], fact: "3 to 5 business days", high: false },
  { question: "How many devices can a trial account connect?", documents: ["plans-trials-and-users.docx"], high: false },
  { question: "The customer wants all their money back for the whole annual contract.", documents: ["refunds-and-returns.pdf"], high: true },
  // Names a document that does not answer it: the run must show it as missed, with what came back instead.
  { question: "What does ground shipping cost for orders over $200?", documents: ["account-security.html"], high: false },
];

async function startRun(page: Page, button: string) {
  // Retried: a click before the page hydrates does nothing.
  const before = await page.getByRole("region", { name: "Runs" }).getByRole("row").count();
  await expect(async () => {
    await page.getByRole("button", { name: button }).click();
    // The table (and its header row) appears with the first run.
    await expect(page.getByRole("region", { name: "Runs" }).getByRole("row")).toHaveCount(before === 0 ? 2 : before + 1, { timeout: 3000 });
  }).toPass({ timeout: 30_000 });
}

test("an admin uploads a question set, runs it, sees recall and the misses, runs the red-team suite and sees what got through; the chart shows two runs", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, E2E.admin);
  await page.goto("/admin/evaluation?kb=support-handbook");
  await expect(page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Evaluation" })).toHaveAttribute("aria-current", "page");

  await uploadQuestionSet(page, "handbook basics", QUESTIONS);
  const sets = page.getByRole("region", { name: "Question sets" });
  await expect(sets.getByRole("row").filter({ hasText: "handbook basics" })).toContainText("5");
  const download = await sets.getByRole("row").filter({ hasText: "handbook basics" }).getByRole("link", { name: "Download" }).getAttribute("href");
  const lines = (await (await page.request.get(download!)).text()).trim().split("\n").map((l) => JSON.parse(l) as { question: string });
  expect(lines.map((l) => l.question)).toEqual(QUESTIONS.map((q) => q.question));

  const runs = page.getByRole("region", { name: "Runs" });
  await startRun(page, "Run retrieval");
  await expect(runs.getByRole("row").nth(1)).toContainText(/Hybrid recall@5 0\.\d{3}/, { timeout: 60_000 });
  await runs.getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByRole("table", { name: "Metrics" })).toContainText("Hybrid recall@10");
  const missed = page.getByRole("region", { name: /^Missed questions \(\d of 5\)$/ });
  const wrong = missed.getByRole("listitem").filter({ hasText: "What does ground shipping cost for orders over $200?" });
  await expect(wrong).toContainText("Expected: account-security.html");
  await expect(wrong).toContainText("came back: shipping-and-delivery.html");
  await expect(page.getByLabel("Ran against")).toContainText(/support-handbook: \d+ documents/);

  // A second run of the same set: the chart shows both.
  await page.goto("/admin/evaluation?kb=support-handbook");
  await startRun(page, "Run retrieval");
  await expect(page.getByRole("figure", { name: "Retrieval over time" })).toHaveAttribute("data-runs", "2", { timeout: 60_000 });

  // The red-team suite: the share held or refused, and every attempt that got through.
  await startRun(page, "Run the red-team suite");
  await expect(runs.getByRole("row").nth(1)).toContainText(/Attacks held or refused 0\.\d{3}|Attacks held or refused 1\.000/, { timeout: 180_000 });
  await runs.getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByRole("table", { name: "Metrics" })).toContainText("Attacks held or refused");
  await expect(page.getByRole("region", { name: "Held or refused, by kind of attack" })).toContainText("obfuscation-base64");
  const through = page.getByRole("region", { name: /^Attempts that got through \(\d+\)$/ });
  await expect(through).toBeVisible();
  const count = Number((await through.getByRole("heading").textContent())!.match(/\((\d+)\)/)![1]);
  await expect(through.getByRole("listitem")).toHaveCount(count);

  // Reviewers read the results; they cannot upload or run.
  const reviewer = await browser.newPage({ baseURL: E2E.baseUrl });
  await signIn(reviewer, E2E.reviewer);
  await reviewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evaluation" }).click();
  await reviewer.goto("/admin/evaluation?kb=support-handbook");
  await expect(reviewer.getByRole("region", { name: "Runs" }).getByRole("row")).toHaveCount(4);
  await expect(reviewer.getByRole("form", { name: "Upload a question set" })).toHaveCount(0);
  expect((await reviewer.request.post("/api/admin/eval/runs", { data: { kind: "red-team", kbId: "00000000-0000-0000-0000-000000000000" } })).status()).toBe(403);
  await reviewer.close();

  // Every upload and run is in the audit log.
  await page.goto("/admin/audit?action=eval.");
  await expect(page.getByRole("table").first()).toContainText("eval.set.upload");
  await expect(page.getByRole("table").first()).toContainText("eval.run.finish");
});
