// TEMPORARY: screenshots for review; removed after use.
import { test } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

test("screenshots", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, E2E.admin);
  await page.goto("/admin/models");
  await page.getByTestId("model-card-stories260k").waitFor();
  await page.screenshot({ path: "/tmp/shots/models-full.png", fullPage: true });
  await page.getByRole("checkbox", { name: "MIT", exact: true }).uncheck();
  await page.getByTestId("blocked-stories260k").waitFor();
  await page.getByRole("form", { name: "Model policy" }).screenshot({ path: "/tmp/shots/policy-preview.png" });
  await page.goto("/about");
  await page.screenshot({ path: "/tmp/shots/about.png", fullPage: true });
  await signIn(page, E2E.agent).catch(() => {});
});
