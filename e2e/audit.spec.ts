import { expect, test } from "@playwright/test";
import postgres from "postgres";
import fs from "node:fs";
import path from "node:path";
import { signIn } from "./fixtures/auth";
import { runScript } from "./fixtures/cli";
import { E2E } from "./fixtures/config";

test("the audit log shows sign-ins, filters, exports CSV, verifies, and detects a tampered row", async ({ page }) => {
  await signIn(page, E2E.admin);
  await page.goto("/admin/audit");
  await page.getByLabel("Action").fill("auth.signin.success");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-row").first()).toContainText("auth.signin.success");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8");
  expect(csv.split("\r\n")[0]).toBe("id,at,actor_email,action,target,details,hash");
  expect(csv).toContain('"auth.signin.success"');
  expect(csv).not.toContain('"auth.signin.failure"');

  const ok = runScript("audit-verify.ts");
  expect(ok.stdout).toMatch(/Audit chain verified: \d+ events/);
  expect(ok.status).toBe(0);

  // Tamper with one row directly in the database, as an insider with the owner's access could.
  const creds = JSON.parse(fs.readFileSync(path.join(E2E.dataDir, "postgres/credentials.json"), "utf8"));
  const pid = fs.readFileSync(path.join(E2E.dataDir, "postgres/data/postmaster.pid"), "utf8").split("\n");
  const sql = postgres(`postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${pid[3]}/${creds.database}`, { max: 1 });
  const [victim] = await sql`select id from audit_events order by id limit 1 offset 2`;
  // The app itself connects as a role that cannot do this.
  const app = postgres(`postgres://${creds.app.user}:${encodeURIComponent(creds.app.password)}@127.0.0.1:${pid[3]}/${creds.database}`, { max: 1 });
  await expect(app`delete from audit_events where id = ${victim!.id}`).rejects.toThrow(/permission denied/);
  await expect(app.unsafe("alter table audit_events disable trigger all")).rejects.toThrow(/must be owner/);
  await app.end();
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update audit_events set target = 'forged@e2e.test' where id = ${victim!.id}`;
  });
  await sql.end();

  const broken = runScript("audit-verify.ts");
  expect(broken.status).toBe(1);
  expect(broken.stderr).toContain(`Audit chain BROKEN at event ${victim!.id}`);
});
