import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { E2E } from "./fixtures/config";

test.describe("sign-in and roles", () => {
  for (const [role, nav] of [
    ["admin", [/^Chat$/, /^Review/, /^Admin$/]],
    ["reviewer", [/^Chat$/, /^Review/, /^Evaluation$/]],
    ["agent", [/^Chat$/]],
  ] as const) {
    test(`${role} signs in and sees only their role's navigation`, async ({ page }) => {
      await signIn(page, E2E[role]);
      await expect(page.getByTestId("user-role")).toHaveText(role);
      const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
      await expect(links).toHaveText([...nav]);
    });
  }

  test("a wrong password shows an error and does not sign in", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(E2E.agent.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("That email and password don't match an active account.");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("an agent opening an admin page gets 403, and the admin API refuses them", async ({ page }) => {
    await signIn(page, E2E.agent);
    const response = await page.goto("/admin/users");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    const api = await page.request.get("/api/admin/users");
    expect(api.status()).toBe(403);
  });

  test("signed-out visitors are sent to sign in; unknown routes get the 404 page", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/signin$/);
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

/** Admin › Users with the Add user form open and filled but for the password, in a browser context of its own. */
async function addUserForm(browser: Browser, user: { name: string; email: string }) {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, E2E.admin);
  await admin.goto("/admin/users");
  await admin.getByRole("button", { name: "Add user" }).click();
  const form = admin.getByRole("form", { name: "Add user" });
  await form.getByLabel("Name").fill(user.name);
  await form.getByLabel("Email").fill(user.email);
  return { context, admin, form };
}

test.describe("admin › users", () => {
  test("an admin creates a user, changes their role, and a deactivated user is signed out at their next request", async ({ browser }) => {
    const { context: adminCtx, admin, form } = await addUserForm(browser, { name: "Temp Person", email: "temp@e2e.test" });
    await form.getByLabel("Password").fill("short");
    await form.getByRole("button", { name: "Create" }).click();
    await expect(form.getByRole("alert")).toContainText("at least 12 characters");
    await form.getByLabel("Password").fill("temp-person-password");
    await form.getByRole("button", { name: "Create" }).click();
    const row = admin.getByTestId("user-row-temp@e2e.test");
    await expect(row).toContainText("active");
    await row.getByLabel("Role for temp@e2e.test").selectOption("reviewer");
    await expect(row.getByLabel("Role for temp@e2e.test")).toHaveValue("reviewer");

    const agentCtx = await browser.newContext();
    const agent = await agentCtx.newPage();
    await signIn(agent, E2E.agent2);

    const agentRow = admin.getByTestId(`user-row-${E2E.agent2.email}`);
    await agentRow.getByRole("button", { name: /Deactivate/ }).click();
    await expect(agentRow).toContainText("deactivated");

    await agent.reload();
    await expect(agent).toHaveURL(/\/signin\?reason=deactivated/);
    await expect(agent.getByRole("status")).toContainText("deactivated");

    await agentRow.getByRole("button", { name: /Reactivate/ }).click();
    await expect(agentRow).toContainText("active");
    // Reactivation does not revive the old cookie: the user signs in again.
    await agent.goto("/chat");
    await expect(agent).toHaveURL(/\/signin/);
    await adminCtx.close();
    await agentCtx.close();
  });

  test("an admin sets a new password for a user who forgot theirs: their sessions end and only the new password works", async ({ browser }) => {
    const { context: adminCtx, admin, form } = await addUserForm(browser, { name: "Forgetful Person", email: "forgetful@e2e.test" });
    await form.getByLabel("Password").fill("the-first-password");
    await form.getByRole("button", { name: "Create" }).click();
    const row = admin.getByTestId("user-row-forgetful@e2e.test");
    await expect(row).toContainText("active");

    const userCtx = await browser.newContext();
    const user = await userCtx.newPage();
    await signIn(user, { email: "forgetful@e2e.test", password: "the-first-password" });

    await row.getByRole("button", { name: "Set password for forgetful@e2e.test" }).click();
    const set = admin.getByRole("form", { name: "New password for forgetful@e2e.test" });
    await set.getByLabel(/New password/).fill("too-short");
    await set.getByRole("button", { name: "Set password" }).click();
    await expect(set.getByRole("alert")).toContainText("at least 12 characters");
    await set.getByLabel(/New password/).fill("the-second-password");
    await set.getByRole("button", { name: "Set password" }).click();
    await expect(admin.getByRole("status")).toContainText("New password set for forgetful@e2e.test; their session was ended.");
    await expect(set).toBeHidden();
    // The admin has no "Set password" on their own row: theirs needs the current one, on /account.
    await expect(admin.getByTestId(`user-row-${E2E.admin.email}`).getByRole("button", { name: /Set password/ })).toHaveCount(0);

    await user.reload();
    await expect(user).toHaveURL(/\/signin/);
    await user.getByLabel("Email").fill("forgetful@e2e.test");
    await user.getByLabel("Password").fill("the-first-password");
    await user.getByRole("button", { name: "Sign in" }).click();
    await expect(user.getByRole("alert")).toBeVisible();
    await signIn(user, { email: "forgetful@e2e.test", password: "the-second-password" });
    await expect(user.getByTestId("user-role")).toBeVisible();

    await admin.goto("/admin/audit?action=user.password_reset");
    await expect(admin.getByText("forgetful@e2e.test").first()).toBeVisible();
    await adminCtx.close();
    await userCtx.close();
  });
});

test.describe("sessions", () => {
  test("signing out ends the session on the server, so a copied cookie stops working; sign out everywhere ends every other", async ({ browser }) => {
    const here = await browser.newContext();
    const page = await here.newPage();
    await signIn(page, E2E.agent2);
    // Someone copies the session cookie into another browser: it works while the session lives.
    const copy = await browser.newContext({ storageState: await here.storageState() });
    const stolen = await copy.newPage();
    await stolen.goto("/chat");
    await expect(stolen.getByTestId("user-role")).toBeVisible();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin\?reason=signed-out$/);
    await stolen.goto("/chat");
    await expect(stolen).toHaveURL(/\/signin/);
    expect((await copy.request.get("/api/conversations")).status()).toBe(401);

    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    const [a, b] = [await laptop.newPage(), await phone.newPage()];
    await signIn(a, E2E.agent2);
    await signIn(b, E2E.agent2);
    await a.getByLabel("More sign-out options").click();
    await a.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(a.getByRole("status")).toHaveText("You have been signed out on every browser and device.");
    await b.reload();
    await expect(b).toHaveURL(/\/signin/);
    for (const ctx of [here, copy, laptop, phone]) await ctx.close();
  });
});

test.describe("your account", () => {
  test("changing your password signs out your other sessions, keeps this one, and the new password works", async ({ browser }) => {
    const [here, there] = [await browser.newContext(), await browser.newContext()];
    const [page, other] = [await here.newPage(), await there.newPage()];
    await signIn(page, E2E.agent2);
    await signIn(other, E2E.agent2);
    const change = async (current: string, next: string) => {
      await page.goto("/account");
      const form = page.getByRole("form", { name: "Change password" });
      await form.getByLabel("Current password").fill(current);
      await form.getByLabel("New password (at least 12 characters)").fill(next);
      await form.getByLabel("New password again").fill(next);
      await form.getByRole("button", { name: "Change password" }).click();
      return form;
    };
    const wrong = await change("not-my-password", "a-new-password-2026");
    await expect(wrong.getByRole("alert")).toHaveText("Your current password is not right.");
    const form = await change(E2E.agent2.password, "a-new-password-2026");
    await expect(form.getByRole("status")).toHaveText(/^Password changed\. Signed out \d+ other sessions?\.$/);
    await other.reload();
    await expect(other).toHaveURL(/\/signin/);
    await page.goto("/chat");
    await expect(page.getByTestId("user-role")).toBeVisible();
    await signIn(other, { email: E2E.agent2.email, password: "a-new-password-2026" });
    // Back to the suite's password, for the tests after this one.
    await expect((await change("a-new-password-2026", E2E.agent2.password)).getByRole("status")).toContainText("Password changed.");
    await here.close();
    await there.close();
  });
});

test.describe("API edges", () => {
  test("a page on another port cannot make a signed-in admin's browser create an admin (CSRF)", async ({ page }) => {
    await signIn(page, E2E.admin);
    // What the probe of issue 20 did: a same-site page posts text/plain "JSON" with the admin's cookie.
    const attack = `fetch(${JSON.stringify(`${E2E.baseUrl}/api/admin/users`)}, { method: "POST", mode: "no-cors", credentials: "include",
      headers: { "content-type": "text/plain" }, body: JSON.stringify({ email: "csrf@e2e.test", name: "Planted", role: "admin", password: "planted-password-1" }) })
      .finally(() => { document.title = "sent"; });`;
    const server = http.createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>attack</title><script>${attack}</script>`));
    await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
    try {
      await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`);
      await expect(page).toHaveTitle("sent");
      const { users } = (await (await page.request.get("/api/admin/users")).json()) as { users: { email: string }[] };
      expect(users.map((u) => u.email)).not.toContain("csrf@e2e.test");
    } finally {
      server.close();
    }
  });

  test("anonymous callers get 401 before their body is read or checked, and NUL characters get 400", async ({ request, page }) => {
    const long = await request.post("/api/chat", { data: { message: "x".repeat(5000) } });
    expect(long.status()).toBe(401);
    expect((await request.post("/api/admin/users", { data: { email: "not-an-email" } })).status()).toBe(401);
    await signIn(page, E2E.admin);
    const nul = await page.request.post("/api/admin/kbs", { data: { name: "Bad\u0000name", description: "", visibility: "all" } });
    expect(nul.status()).toBe(400);
    expect((await nul.json()).message).toContain("NUL");
  });

  test("pages carry security headers: no framing, no foreign scripts, no sniffing", async ({ page }) => {
    const response = await page.goto("/signin");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("script-src 'self' 'unsafe-inline'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    // The page still works under the policy: signing in runs its scripts.
    await signIn(page, E2E.agent);
    await expect(page.getByTestId("user-role")).toHaveText("agent");
  });

  test("malformed bodies get 400 with a message", async ({ request }) => {
    const signin = await request.post("/api/auth/callback/credentials", { form: { email: "not-an-email", password: "" } });
    expect(signin.status()).toBe(400);
    expect((await signin.json()).message).toMatch(/email/i);
  });

  test("an upload from someone not signed in is refused before its body is read", async ({ request }) => {
    // A body that is not multipart at all: read first, it would be a 400 about the upload.
    const upload = await request.post("/api/admin/kbs/00000000-0000-4000-8000-000000000000/documents", {
      headers: { "content-type": "multipart/form-data; boundary=nothing" },
      data: "not a multipart body",
    });
    expect(upload.status()).toBe(401);
    expect((await upload.json()).message).toBe("Sign in first.");
  });

  test("failed sign-ins for one email are throttled with growing delays, not locked, and the page says how long", async ({ request, page }) => {
    const csrf = (await (await request.get("/api/auth/csrf")).json()).csrfToken as string;
    const attempt = () => request.post("/api/auth/callback/credentials", { form: { email: "victim@e2e.test", password: "wrong-guess", csrfToken: csrf, json: "true" } });
    for (let i = 0; i < 6; i++) expect((await attempt()).status()).toBe(401);
    // Six failures: the next attempt must wait a second; the password is not even checked.
    const throttled = await attempt();
    expect(throttled.status()).toBe(429);
    expect(Number(throttled.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await attempt()).status(), { intervals: [1100], timeout: 10_000 }).toBe(401);
    // Seven failures: two seconds now, and the sign-in page says so.
    await page.goto("/signin");
    await page.getByLabel("Email").fill("victim@e2e.test");
    await page.getByLabel("Password").fill("another-guess");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "sign-ins" })).toHaveText(/^Too many failed sign-ins\. Wait [12] seconds?, then try again\.$/);
  });

});
