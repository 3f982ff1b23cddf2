import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

/** Asks, opens source 1 and follows "Open the original" into its own tab; returns the viewer. */
async function openCitedOriginal(page: Page, question: string, fileName: string): Promise<Page> {
  await page.goto("/chat");
  await page.getByLabel("Your question").fill(question);
  await page.getByLabel("Your question").press("Enter");
  await expect(page.getByTestId("answer-model").last()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("answer-text").last().getByRole("button", { name: "Source 1" }).click();
  const panel = page.getByTestId("source-panel");
  await expect(panel).toContainText(fileName);
  const [viewer] = await Promise.all([page.context().waitForEvent("page"), panel.getByTestId("open-original").click()]);
  await viewer.waitForLoadState();
  await expect(viewer.getByTestId("document-title")).toBeVisible();
  await expect(viewer.getByTestId("passage-note")).toContainText("Shaded: the passage cited as [1]");
  return viewer;
}

test("a cited passage opens in its original: an HTML page rendered in a sandbox, a PDF at its page, a Word file as text, each shaded", async ({ page }) => {
  await signIn(page, E2E.agent);

  const html = await openCitedOriginal(page, "What does ground shipping cost in the United States?", "shipping-and-delivery.html");
  const frame = html.getByTestId("document-frame");
  await expect(frame).toHaveAttribute("sandbox", "allow-top-navigation-by-user-activation");
  const shaded = html.frameLocator("[data-testid=document-frame]").locator("mark.cited#vouch-passage");
  await expect(shaded).toBeVisible();
  await expect(html.frameLocator("[data-testid=document-frame]").locator("mark.cited")).toContainText(["Ground"]);
  await expect(html.frameLocator("[data-testid=document-frame]").locator("script, nav")).toHaveCount(0);
  await html.close();

  const pdf = await openCitedOriginal(page, "How long do card refunds take to show on the customer's statement?", "refunds-and-returns.pdf");
  const image = pdf.getByTestId("pdf-page");
  await expect(pdf.getByTestId("pdf-page-number")).toContainText(/^Page \d of 4/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(600);
  const png = await pdf.request.get((await image.getAttribute("src"))!);
  expect([png.status(), png.headers()["content-type"], png.headers()["x-passage-marked"]]).toEqual([200, "image/png", "yes"]);
  // Opened scrolled to the shading, which lies halfway down its page.
  await expect(pdf.getByTestId("pdf-passage")).toBeInViewport();
  expect(await pdf.evaluate(() => window.scrollY)).toBeGreaterThan(100);
  await pdf.close();

  const docx = await openCitedOriginal(page, "How many devices can a trial account connect?", "plans-trials-and-users.docx");
  const passage = docx.locator("#vouch-passage");
  await expect(passage).toBeVisible();
  // Scrolled to the passage: it is on screen without the reader scrolling.
  await expect(passage).toBeInViewport();
  await expect(docx.getByTestId("document-text").locator("mark.cited").first()).toContainText(/trial|devices/i);
  await docx.close();
});

test("links inside a passage lead to the linked document of the same knowledge base; other links stay text", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-links-"));
  fs.writeFileSync(path.join(dir, "gateway-setup.html"), `<html><head><title>Gateway setup</title></head><body><main><h1>Gateway setup</h1>
    <p>The zephyr gateway pairs with the app in about a minute. For the firewall ports the zephyr gateway needs, read <a href="network-ports.html#outbound">the network ports page</a>
    or <a href="https://example.com/elsewhere">the vendor site</a> or <a href="missing-page.html">an old page</a>.</p></main></body></html>`);
  fs.writeFileSync(path.join(dir, "network-ports.html"), `<html><head><title>Network ports</title></head><body><main><h1>Network ports</h1>
    <h2 id="outbound">Outbound</h2><p>The gateway connects out on port 8883 for telemetry and port 443 for updates.</p></main></body></html>`);
  await signIn(page, E2E.admin);
  await page.goto("/admin/kbs");
  await page.getByRole("button", { name: "New knowledge base" }).click();
  const form = page.getByRole("form", { name: "New knowledge base" });
  await form.getByLabel("Name").fill("Linked pages");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/admin\/kbs\/[0-9a-f-]{36}$/);
  await page.getByLabel("Choose files").setInputFiles(["gateway-setup.html", "network-ports.html"].map((f) => path.join(dir, f)));
  for (const f of ["gateway-setup.html", "network-ports.html"]) await expect(page.getByTestId(`doc-${f}`).getByTestId("doc-status")).toHaveText("ready", { timeout: 30_000 });

  await page.goto("/chat");
  await page.getByLabel("Your question").fill("How long does the zephyr gateway take to pair with the app?");
  await page.getByLabel("Your question").press("Enter");
  await expect(page.getByTestId("answer-model").last()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("answer-text").last().getByRole("button", { name: "Source 1" }).click();
  const passage = page.getByTestId("source-panel").getByTestId("source-passage");
  const link = passage.getByRole("link", { name: "the network ports page" });
  await expect(link).toHaveAttribute("href", /^\/documents\/[0-9a-f-]{36}\?anchor=outbound$/);
  await expect(passage.getByRole("link", { name: "an old page" })).toHaveCount(0);
  await expect(passage).toContainText("an old page");
  await link.click();
  await expect(page.getByTestId("document-title")).toHaveText("Network ports");
  await expect(page.getByTestId("document-frame")).toHaveAttribute("src", /#outbound$/);
});

test("a document outside the reader's knowledge bases, or another agent's answer, is not shown", async ({ page, browser }) => {
  await signIn(page, E2E.agent);
  await page.goto("/chat");
  await page.getByLabel("Your question").fill("How many devices can a trial account connect?");
  await page.getByLabel("Your question").press("Enter");
  await page.getByTestId("answer-text").last().getByRole("button", { name: "Source 1" }).click({ timeout: 30_000 });
  const href = (await page.getByTestId("open-original").getAttribute("href"))!;

  const other = await browser.newPage({ baseURL: E2E.baseUrl });
  await signIn(other, E2E.agent2);
  // agent2 may read the handbook, but not agent's answer: the document opens without any passage shaded.
  await other.goto(href);
  await expect(other.getByTestId("document-title")).toBeVisible();
  await expect(other.getByTestId("passage-note")).toHaveCount(0);
  await expect(other.locator("mark.cited")).toHaveCount(0);
  expect((await other.request.get(`/api/documents/00000000-0000-4000-8000-000000000000/view`)).status()).toBe(404);
  await other.close();
});
