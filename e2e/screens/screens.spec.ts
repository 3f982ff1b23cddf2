/**
 * `npm run screens`: the pages people look at most, photographed in Chromium into
 * e2e/screens/*.png, so a change to the interface can be compared with the last
 * committed pictures at a glance (git shows the old and new images side by side).
 * Runs against the browser suite's server and data (playwright.screens.config.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "../fixtures/auth";
import { E2E } from "../fixtures/config";

const OUT = import.meta.dirname;
const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage, animations: "disabled", caret: "hide" });

async function signedIn(browser: Browser, user: { email: string; password: string }, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport, baseURL: E2E.baseUrl })).newPage();
  await signIn(page, user);
  return page;
}

async function askAndOpenSource(page: Page, question: string) {
  await page.goto("/chat");
  await page.getByLabel("Your question").fill(question);
  await page.getByLabel("Your question").press("Enter");
  await expect(page.getByTestId("answer-model").last()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("answer-text").last().getByRole("button", { name: "Source 1" }).click();
  await expect(page.getByTestId("source-panel")).toBeVisible();
}

test("chat with a source open, at 1280×800 and on a phone", async ({ browser }) => {
  const desk = await signedIn(browser, E2E.agent);
  await askAndOpenSource(desk, "What does ground shipping cost in the United States?");
  await shot(desk, "chat-source-1280x800");
  const phone = await signedIn(browser, E2E.agent, { width: 390, height: 844 });
  await askAndOpenSource(phone, "How many devices can a trial account connect?");
  await shot(phone, "chat-source-390x844");
});

test("the review queue with a held answer", async ({ browser }) => {
  const agent = await signedIn(browser, E2E.agent);
  await agent.goto("/chat");
  await agent.getByLabel("Your question").fill("The customer is threatening legal action unless we refund $2,400 today. Can I promise them the refund?");
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("held-notice").last()).toBeVisible({ timeout: 30_000 });
  const reviewer = await signedIn(browser, E2E.reviewer);
  await reviewer.goto("/review");
  await expect(reviewer.getByTestId("review-row").first()).toBeVisible();
  await shot(reviewer, "review-queue");
});

test("Admin › Knowledge bases during a 30-file upload", async ({ browser }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-screens-"));
  const files = Array.from({ length: 30 }, (_, i) => {
    const file = path.join(dir, `field-note-${String(i + 1).padStart(2, "0")}.md`);
    fs.writeFileSync(file, `# Field note ${i + 1}\n\n${"The Orbit gateway's fan runs faster in warm rooms; check the vents and the firmware version. ".repeat(40)}\n`);
    return file;
  });
  const admin = await signedIn(browser, E2E.admin);
  await admin.goto("/admin/kbs");
  await admin.getByRole("button", { name: "New knowledge base" }).click();
  const form = admin.getByRole("form", { name: "New knowledge base" });
  await form.getByLabel("Name").fill(`Field notes ${Date.now()}`);
  await form.getByRole("button", { name: "Create" }).click();
  await expect(admin).toHaveURL(/\/admin\/kbs\/[0-9a-f-]{36}$/);
  await admin.getByLabel("Choose files").setInputFiles(files);
  const summary = admin.getByTestId("upload-summary");
  await expect(summary).toBeVisible();
  await shot(admin, "admin-kbs-upload-in-progress");
  await expect(summary).toContainText("30 of 30 files done", { timeout: 120_000 });
  await shot(admin, "admin-kbs-upload-done");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("Admin › Models", async ({ browser }) => {
  const admin = await signedIn(browser, E2E.admin);
  await admin.goto("/admin/models");
  await expect(admin.getByTestId("model-card-stories260k")).toBeVisible();
  await shot(admin, "admin-models", true);
});

test("Admin › Audit log › Answers, and one answer's provenance", async ({ browser }) => {
  const agent = await signedIn(browser, E2E.agent);
  await askAndOpenSource(agent, "How long do card refunds take to show on the customer's statement?");
  const admin = await signedIn(browser, E2E.admin);
  await admin.goto("/admin/audit/answers");
  await expect(admin.getByTestId("answer-row").first()).toBeVisible();
  await shot(admin, "admin-audit-answers");
  await admin.getByTestId("answer-row").first().getByRole("link").first().click();
  await expect(admin.getByTestId("answer-record")).toBeVisible();
  await shot(admin, "admin-audit-answer-record", true);
});

test("Admin › Evaluation, after two retrieval runs and a red-team run, and the red-team run's page", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await signedIn(browser, E2E.admin);
  const { knowledgeBases } = (await (await admin.request.get("/api/admin/kbs")).json()) as { knowledgeBases: { kb: { id: string; slug: string } }[] };
  const kbId = knowledgeBases.find((k) => k.kb.slug === "support-handbook")!.kb.id;
  const text = fs.readFileSync(path.resolve(OUT, "../../ingest/sample-kb/questions.jsonl"), "utf8");
  const upload = await admin.request.post("/api/admin/eval/sets", { data: { kbId, name: "sample questions", purpose: "questions", fileName: "questions.jsonl", text } });
  const { set } = (await upload.json()) as { set: { id: string } };
  const run = async (kind: string, setId?: string) => {
    const { run: started } = (await (await admin.request.post("/api/admin/eval/runs", { data: { kind, kbId, ...(setId ? { setId } : {}) } })).json()) as { run: { id: string } };
    await expect.poll(async () => ((await (await admin.request.get(`/api/admin/eval/runs?kb=${kbId}`)).json()) as { runs: { id: string; status: string }[] }).runs.find((r) => r.id === started.id)?.status, { timeout: 150_000 }).toBe("done");
    return started.id;
  };
  await run("retrieval", set.id);
  await run("retrieval", set.id);
  const redTeam = await run("red-team");
  await admin.goto("/admin/evaluation?kb=support-handbook");
  await expect(admin.getByRole("region", { name: "Metrics over time" })).toBeVisible();
  await shot(admin, "admin-evaluation", true);
  await admin.goto(`/admin/evaluation/runs/${redTeam}`);
  await expect(admin.getByRole("table", { name: "Metrics" })).toBeVisible();
  await shot(admin, "admin-evaluation-red-team-run");
});
