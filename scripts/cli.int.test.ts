import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { listEvalRuns, listEvalSets, saveEvalSetVersion, setEvalSetGated } from "@/db/queries/evaluation";
import { SYSTEM_ACTOR } from "@/db/queries/users";
import { DEFAULT_CLASSIFIER_SETTINGS } from "@/lib/review/default-policy";
import { RISK_CATEGORIES } from "@/lib/review/classifier/categories";
import { getCurrentRoutingPolicy, saveRoutingPolicy } from "@/lib/review/policy-store";

const root = path.resolve(import.meta.dirname, "..");
let t: TestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-cli-"));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs a script; a variable set to undefined in `env` is left out of its environment. */
function run(script: string, args: string[], input = "", env: Record<string, string | undefined> = {}) {
  const merged = { ...process.env, DATABASE_URL: t.url, DATA_DIR: path.join(dir, "data"), LOG_LEVEL: "silent", ...env };
  return spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join("scripts", script), ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    timeout: 120_000,
  });
}

describe("command-line tools", () => {
  it("user:add refuses a password under 12 characters and adds a user with a good one", () => {
    const short = run("user-add.ts", ["--email", "ops@x.test", "--role", "admin"], "short\n");
    expect(short.status).toBe(2);
    expect(short.stderr).toContain("Refused: Passwords need at least 12 characters.");
    const ok = run("user-add.ts", ["--email", "ops@x.test", "--role", "admin"], "a-long-enough-password\n");
    expect(ok.stdout).toContain("Created admin ops@x.test.");
    expect(ok.status).toBe(0);
  });

  it("ingest creates the knowledge base, prints a summary with each failure's reason and exits non-zero when a file failed", () => {
    const docs = path.join(dir, "docs");
    fs.mkdirSync(path.join(docs, "sub"), { recursive: true });
    fs.writeFileSync(path.join(docs, "refunds.md"), "# Refunds\n\nRefunds take 14 days.\n");
    fs.writeFileSync(path.join(docs, "sub", "empty.txt"), "");
    // Started without LANCE_CPU_THREADS, it sets the setting in its own environment before LanceDB starts.
    const result = run("ingest.ts", [docs, "--kb", "cli-kb"], "", { LANCE_CPU_THREADS: undefined });
    expect(result.stderr).toContain('Created the knowledge base "cli-kb" (it did not exist yet).');
    expect(result.stdout).toMatch(/refunds\.md.*ready/);
    expect(result.stdout).toMatch(/sub\/empty\.txt.*failed.*empty file/);
    expect(result.stdout).toMatch(/2 files: 1 ready, 0 duplicate, 1 failed; 1 pages, 1 chunks in [\d.]+ s \([\d.]+ pages\/s\)\./);
    expect(result.stdout).toContain("  failed: sub/empty.txt: empty file");
    expect(result.status).toBe(1);

    const again = run("ingest.ts", [path.join(docs, "refunds.md"), "--kb", "cli-kb"]);
    // Once (CI of fe38b6b) this run printed nothing: the status and stderr now say why if it happens again.
    expect(again.status, `${again.signal ?? ""} ${again.stderr}`).toBe(0);
    expect(again.stdout).toContain("1 files: 0 ready, 1 duplicate, 0 failed;");
  });

  it("ingest waits for an earlier copy of a file that a crashed run left unfinished, and reports it", async () => {
    const file = path.join(dir, "crashed.md");
    fs.writeFileSync(file, "# Crashed\n\nThe first run died while this was parsing.\n");
    expect(run("ingest.ts", [file, "--kb", "crash-kb"]).status).toBe(0);
    // As a run killed mid-work leaves it: in progress, held by a worker that is gone, its lease run out.
    await t.sql`update documents set status = 'parsing', chunk_count = null, worker_id = 'dead-worker', lease_expires_at = now() - interval '1 second' where file_name = 'crashed.md'`;
    const again = run("ingest.ts", [file, "--kb", "crash-kb"]);
    expect(again.stderr).toContain("1 of these files were queued before and are not finished yet; waiting for them too.");
    expect(again.stdout).toContain("1 files: 1 ready, 0 duplicate, 0 failed;");
    expect(again.status).toBe(0);
  });

  it("ingest refuses to run an embedding model the model policy does not allow, before queuing anything", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "models/manifest.json"), "utf8")) as { models: { id: string; enabled: boolean }[] };
    for (const m of manifest.models) if (m.id === "wink-sif-100d") m.enabled = false;
    const manifestFile = path.join(dir, "refusing-manifest.json");
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const doc = path.join(dir, "policy.md");
    fs.writeFileSync(doc, "# Policy\n\nNothing here.\n");
    const result = run("ingest.ts", [doc, "--kb", "refused-kb"], "", { MODELS_MANIFEST: manifestFile });
    expect(result.stderr).toContain('Model "wink-sif-100d" (embedding) is disabled in the manifest. Fix: enable it in Admin › Models (or set "enabled": true for it in the manifest) to use it.');
    expect(result.stderr).not.toContain("Queuing");
    expect(result.status).toBe(1);
  });

  it("eval runs a knowledge base's sets headless, records the runs, and exits 1 when a gated set scores worse than before", async () => {
    // cli-kb (refunds.md) and the admin ops@x.test come from the tests above.
    const [kb] = await t.sql<{ id: string }[]>`select id from knowledge_bases where slug = 'cli-kb'`;
    const items = [
      { question: "How long do refunds take?", expect: ["refunds.md"], facts: ["14 days"], high: false },
      { question: "We want all our money back for the whole annual contract.", expect: ["refunds.md"], facts: [], high: true },
    ];
    await saveEvalSetVersion(t.db, { kbId: kb!.id, name: "smoke", purpose: "questions", items, replace: true, actor: SYSTEM_ACTOR });
    const [set] = await listEvalSets(t.db, { kbId: kb!.id });
    await setEvalSetGated(t.db, { id: set!.id, gated: true, actor: SYSTEM_ACTOR });

    const first = run("eval.ts", ["--kb", "cli-kb"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("Retrieval · smoke v1 (gated) · done");
    expect(first.stdout).toMatch(/hybrid\.recall@5\s+1\.000/);
    expect(first.stdout).toMatch(/routing\.recall\s+1\.000/);
    expect((await listEvalRuns(t.db, { setId: set!.id })).map((r) => `${r.kind}:${r.trigger}`).sort()).toEqual(["answers:cli", "retrieval:cli", "routing:cli"]);

    // A review-policy version that holds nothing: the gated set's high-stakes question is released now.
    const current = await getCurrentRoutingPolicy(t.db);
    const lax = { ...current.policy, topics: [], thresholds: { ...current.policy.thresholds, minRetrievalScore: 0, minVectorScore: 0 }, classifier: { ...DEFAULT_CLASSIFIER_SETTINGS, categories: Object.fromEntries(RISK_CATEGORIES.map((c) => [c.id, { action: "none" as const }])) } };
    await saveRoutingPolicy(t.db, { policy: lax, actor: SYSTEM_ACTOR });
    const second = run("eval.ts", ["--kb", "cli-kb", "--set", "smoke"]);
    expect(second.stdout).toMatch(/routing\.recall\s+0\.000\s+previous 1\.000\s+WORSE/);
    expect(second.stdout).toContain("Gate failed: a gated set scores worse than its previous run:");
    expect(second.status).toBe(1);
    expect(run("eval.ts", ["--kb", "no-such-kb"]).status).toBe(2);
  });
});
