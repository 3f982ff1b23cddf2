import fs from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

async function auditActions(page: Page, action: string): Promise<string[]> {
  await page.goto(`/admin/audit?action=${encodeURIComponent(action)}`);
  return page.getByTestId("audit-row").locator("td:nth-child(4)").allTextContents();
}

/** Opens a model's row in the models table. */
async function openDetails(row: Locator) {
  await row.getByRole("button", { name: /^(Details|Review and approve) of/ }).click();
}

test.describe("admin › models", () => {
  test("shows the model cards, previews a blocking policy change before saving, and approves only on confirmation", async ({ page }) => {
    await signIn(page, E2E.admin);
    await page.goto("/admin/users");
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Models" }).click();
    await expect(page).toHaveURL(/\/admin\/models$/);

    // One table row per model, details on demand: the page stays short.
    expect(await page.evaluate(() => document.body.scrollHeight)).toBeLessThan(3200);
    const stories = page.getByTestId("model-card-stories260k");
    await expect(stories.getByRole("rowheader")).toContainText("stories260K");
    await expect(stories.getByTestId("model-file")).toHaveCount(0);
    await openDetails(stories);
    await expect(stories.getByTestId("license")).toHaveText("MIT");
    await expect(stories.getByRole("link", { name: "MIT" })).toHaveAttribute("href", "https://github.com/karpathy/llama2.c/blob/master/LICENSE");
    await expect(stories.getByText("allowed", { exact: true })).toBeVisible();
    await expect(stories.getByTestId("model-file")).toContainText("verified");
    await expect(stories.getByTestId("approval")).toContainText("by vouch-project (shipped default)");
    await expect(stories.getByRole("list", { name: "What the license of stories260k permits" })).toContainText("Commercial use: yes");
    await expect(stories.getByTestId("attribution")).toContainText("stories260K by Andrej Karpathy");
    await expect(page.getByTestId("role-generation")).toContainText("generation: allowed");
    // What this deployment runs: the scripted server's model, checked by the name it serves.
    await expect(page.getByTestId("in-use-generation")).toHaveText(`generation: allowed — "e2e-scripted-model" served by the LLM server at http://127.0.0.1:${E2E.llmStubPort}/v1`);
    await expect(page.getByTestId("in-use-embedding")).toHaveText("embedding: allowed — wink-sif-100d, run in this process");
    // A model on another server has a card too, with the name it is served under instead of files.
    const scripted = page.getByTestId("model-card-e2e-scripted");
    await openDetails(scripted);
    await expect(scripted.getByTestId("served")).toHaveText("e2e-scripted-model (by the organisation's own server)");
    await expect(scripted.getByText("No local files (remote model).")).toBeVisible();

    // Switching the use to research blocks nothing; dropping MIT would block stories260k, and the preview says so before any save.
    const editor = page.getByRole("form", { name: "Model policy" });
    const preview = page.getByTestId("policy-preview");
    await expect(preview).toContainText("No change from version 1.");
    await editor.getByRole("radio", { name: /^Research/ }).check();
    await expect(preview).toContainText("This change blocks no model that runs now.");
    await editor.getByRole("radio", { name: /^Commercial/ }).check();
    await expect(preview).toContainText("No change from version 1.");
    await expect(editor.getByRole("button", { name: "Save policy" })).toBeDisabled();
    await editor.getByRole("checkbox", { name: "MIT", exact: true }).uncheck();
    await expect(page.getByTestId("blocked-stories260k")).toHaveText(
      /^Model "stories260k" \(generation\) is refused: its license MIT is not in the policy's allowed licenses \(.*\)\. Fix: after legal review, add MIT to the allowed licenses/,
    );
    // wink-sif-100d is MIT too: it is listed as well once its hashes are recorded.
    await expect(editor.getByRole("button", { name: /^Save and block \d+ models?$/ })).toBeEnabled();

    // A license id that is not SPDX is named in the preview.
    await editor.getByLabel("More license ids").fill("MTI");
    await expect(preview.getByRole("alert")).toContainText('"MTI" is not an SPDX license id');

    // Nothing was saved or approved by looking: reload shows version 1 and stories260k still allowed.
    await page.reload();
    await expect(page.getByTestId("policy-version")).toHaveText("Version 1");
    await expect(page.getByTestId("model-card-stories260k").getByText("allowed", { exact: true })).toBeVisible();
    expect(await auditActions(page, "policy.models.update")).toEqual([]);
    expect(await auditActions(page, "model.approve")).toEqual([]);

    // A change that blocks nothing saves as a new audited version; then the original is restored for the other specs.
    await page.goto("/admin/models");
    await editor.getByRole("radio", { name: /^Internal/ }).check();
    await expect(preview).toContainText("This change blocks no model that runs now.");
    await editor.getByRole("button", { name: "Save policy" }).click();
    await expect(editor.getByRole("status")).toHaveText("Saved as policy version 2.");
    await expect(page.getByTestId("policy-version")).toHaveText("Version 2");
    await editor.getByRole("radio", { name: /^Commercial/ }).check();
    await expect(preview).toContainText("This change blocks no model that runs now.");
    await editor.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByTestId("policy-version")).toHaveText("Version 3");
    expect(await auditActions(page, "policy.models.update")).toEqual(["policy.models.update", "policy.models.update"]);

    // Approving takes an explicit confirmation; cancelling records nothing.
    await page.goto("/admin/models");
    const bge = page.getByTestId("model-card-bge-small-en-v1.5");
    await expect(bge.getByTestId("approval")).toContainText("not approved");
    await openDetails(bge);
    await bge.getByRole("button", { name: "Approve bge-small-en-v1.5" }).click();
    await bge.getByRole("button", { name: "Cancel" }).click();
    expect(await auditActions(page, "model.approve")).toEqual([]);
    await page.goto("/admin/models");
    await openDetails(bge);
    await bge.getByRole("button", { name: "Approve bge-small-en-v1.5" }).click();
    await bge.getByRole("button", { name: "Confirm approval" }).click();
    await expect(bge.getByTestId("approval")).toContainText(`by ${E2E.admin.email}`);
    await expect(bge.getByTestId("approval")).toContainText("in Admin › Models");
    await expect(bge.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
    expect(await auditActions(page, "model.approve")).toEqual(["model.approve"]);

    await page.goto("/admin/models");
    await page.getByRole("link", { name: "About Vouch, models and licenses" }).click();
    await expect(page.getByRole("heading", { name: "About Vouch" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Admin › Models" })).toBeVisible();
  });

  test("the ML-BOM downloads as CycloneDX JSON", async ({ page }) => {
    await signIn(page, E2E.admin);
    await page.goto("/admin/models");
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download ML-BOM" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^vouch-ml-bom-\d{4}-\d{2}-\d{2}\.cdx\.json$/);
    const bom = JSON.parse(fs.readFileSync(await file.path(), "utf8"));
    expect([bom.bomFormat, bom.specVersion]).toEqual(["CycloneDX", "1.6"]);
    const stories = bom.components.find((c: { name: string }) => c.name === "stories260k");
    expect(stories).toMatchObject({
      type: "machine-learning-model",
      licenses: [{ license: { id: "MIT" } }],
      hashes: [{ alg: "SHA-256", content: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d" }],
    });
    expect(stories.properties).toContainEqual({ name: "vouch:verification", value: "ok" });
  });

  test("health shows an admin the models component with each role's decision, and others only up or down", async ({ page, request, browser }) => {
    const anonymous = await (await request.get("/api/health")).json();
    expect(anonymous.components.database).toEqual({ status: "up" });
    expect(anonymous.components.models).toEqual({ status: expect.stringMatching(/^(up|down)$/) });
    expect(anonymous.details).toBe("Sign in as an admin to see each component's details.");
    const agent = await browser.newPage();
    await signIn(agent, E2E.agent);
    expect((await (await agent.request.get("/api/health")).json()).components.llm).toEqual({ status: "up" });
    await agent.close();

    await signIn(page, E2E.admin);
    const response = await page.request.get("/api/health");
    const body = await response.json();
    expect(body.components.database.status).toBe("up");
    // Roles list the local models; the scripted server's entry answers (LLM_BASE_URL) and is checked by its served name in "llm".
    expect(body.components.models.roles.generation).toEqual({ allowed: true, models: ["stories260k"], refusals: [] });
    expect(body.components.llm).toMatchObject({ status: "up", model: "e2e-scripted-model", local: false });
    // Up only when no enabled model is refused; the status code follows.
    const refused = Object.values(body.components.models.roles as Record<string, { allowed: boolean }>).some((r) => !r.allowed);
    expect([body.components.models.status, response.status()]).toEqual(refused ? ["down", 503] : ["up", 200]);
    if (refused) expect(body.components.models.message).toMatch(/is refused: .* Fix: /);
    expect((await request.get("/api/health?component=database")).status()).toBe(200);
  });
});

test.describe("who sees what", () => {
  test("an agent gets 403 on Admin › Models and its APIs, and About shows every attribution", async ({ page }) => {
    await signIn(page, E2E.agent);
    const response = await page.goto("/admin/models");
    expect(response?.status()).toBe(403);
    expect((await page.request.get("/api/models/bom")).status()).toBe(403);
    const preview = await page.request.post("/api/admin/models/policy/preview", { data: { policy: { use: "research", allowedLicenses: [], locality: "any" } } });
    expect(preview.status()).toBe(403);

    // The footer links to About from every page (the link itself is clicked in the admin test above).
    await page.goto("/");
    await expect(page.getByRole("link", { name: "About Vouch, models and licenses" })).toHaveAttribute("href", "/about");
    await page.goto("/about");
    await expect(page.getByRole("heading", { name: "About Vouch" })).toBeVisible();
    await expect(page.getByTestId("about-model-stories260k")).toContainText("in use");
    await expect(page.getByTestId("attribution-stories260k")).toContainText(
      "stories260K by Andrej Karpathy (karpathy/tinyllamas, trained with llama2.c on TinyStories), MIT License",
    );
    await expect(page.getByTestId("attribution-wink-sif-100d")).toContainText("GloVe: Global Vectors for Word Representation");
    await expect(page.getByRole("link", { name: "Admin › Models" })).toHaveCount(0);
  });
});
