/**
 * Scale out, proven: two web servers and two ingest workers (setup.ts) on one database and one
 * vector store. Sessions, the ingest queue, search, review and a lost server, across both.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import postgres from "postgres";
import { openLanceVectorStore } from "@/lib/vectorstore";
import { signIn } from "../e2e/fixtures/auth";
import { SCALE, type ScaleState } from "./config";

test.describe.configure({ mode: "serial" });

const A = SCALE.url("a");
const B = SCALE.url("b");
let state: ScaleState;
let sql: postgres.Sql;
let kbId = "";

test.beforeAll(() => {
  state = JSON.parse(fs.readFileSync(SCALE.stateFile, "utf8")) as ScaleState;
  sql = postgres(state.databaseUrl, { max: 2, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

/** Uploads `files` (name → text) to the knowledge base through `base`, in requests of 50. */
async function upload(request: APIRequestContext, base: string, files: [string, string][]) {
  for (let i = 0; i < files.length; i += 50) {
    const form = new FormData();
    for (const [name, text] of files.slice(i, i + 50)) form.append("file", new Blob([text], { type: "text/markdown" }), name);
    const res = await request.post(`${base}/api/admin/kbs/${kbId}/documents`, { multipart: form });
    expect(res.status(), await res.text()).toBeLessThan(300);
  }
}

/** The sources a quoted answer through `base` was given, from the event stream's start event. */
async function sourcesFor(request: APIRequestContext, base: string, question: string) {
  const res = await request.post(`${base}/api/chat`, { data: { message: question } });
  expect(res.status()).toBe(200);
  const start = (await res.text()).split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)) as { type: string; sources?: { fileName: string; scores: { textRank: number | null; vectorRank: number | null } }[] }).find((e) => e.type === "start");
  return start?.sources ?? [];
}

async function readyCounts(names: string[]) {
  const rows = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from documents where kb_id = ${kbId} and file_name in ${sql(names)} group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
}

/** Each document's "document.ready" events and the workers that wrote them. */
async function readyEvents(names: string[]) {
  return sql<{ target: string; worker: string }[]>`select target, details->>'workerId' as worker from audit_events where action = 'document.ready' and target in ${sql(names)}`;
}

const note = (i: number) => [`note-${String(i).padStart(3, "0")}.md`, `# Field note ${i}\n\nGateway field note ${i}: the unit with tag zq${i}x was checked on site and its firmware updated.\n`] as [string, string];

test("a session made on one server is valid on the other", async ({ page }) => {
  await signIn(page, SCALE.admin, A);
  await page.goto(`${B}/admin/kbs`);
  await expect(page.getByTestId("user-role")).toHaveText("admin");
  const created = await page.request.post(`${B}/api/admin/kbs`, { data: { name: "Scale notes", slug: "scale-notes" } });
  expect(created.status()).toBe(201);
  kbId = ((await created.json()) as { knowledgeBase: { id: string } }).knowledgeBase.id;
});

test("200 documents uploaded through one server are each ingested once, by both workers", async ({ page }) => {
  await signIn(page, SCALE.admin, A);
  const files = Array.from({ length: 200 }, (_, i) => note(i));
  files[7] = ["tomatoes.md", "# Growing tomatoes\n\nTomato plants need full sunlight, deep watering twice a week and a stake to climb. Pinch the side shoots so the fruit ripens.\n"];
  await upload(page.request, A, files);
  const names = files.map(([n]) => n);
  await expect.poll(() => readyCounts(names), { timeout: 180_000, intervals: [1000] }).toEqual({ ready: 200 });
  const events = await readyEvents(names);
  expect(events).toHaveLength(200);
  expect(new Set(events.map((e) => e.target)).size).toBe(200);
  const byWorker = new Map<string, number>();
  for (const e of events) byWorker.set(e.worker, (byWorker.get(e.worker) ?? 0) + 1);
  expect(byWorker.size, JSON.stringify([...byWorker])).toBe(2);
});

test("a document ingested by either worker is found by keyword and by meaning on both servers, by searches already open, during a long upload", async ({ page }) => {
  await signIn(page, SCALE.agent, A);
  for (const base of [A, B]) {
    const byWord = await sourcesFor(page.request, base, "What happened to the unit tagged zq123x?");
    expect(byWord.find((s) => s.fileName === "note-123.md")?.scores.textRank, base).not.toBeNull();
    const byMeaning = await sourcesFor(page.request, base, "How much sunlight and water do tomato plants need?");
    expect(byMeaning.find((s) => s.fileName === "tomatoes.md")?.scores.vectorRank, base).not.toBeNull();
  }
  // A new document, written by whichever worker takes it, is found through both servers' open stores within
  // seconds, while a long upload is still being ingested.
  const admin = await page.context().browser()!.newPage();
  await signIn(admin, SCALE.admin, A);
  const fillers = Array.from({ length: 150 }, (_, i) => note(2000 + i));
  const longUpload = upload(admin.request, A, fillers);
  await upload(admin.request, B, [["late-arrival.md", "# Late arrival\n\nThe courier marked parcel qx777z as delivered to the loading dock at dawn.\n"]]);
  for (const base of [A, B]) {
    await expect.poll(async () => (await sourcesFor(page.request, base, "Where was parcel qx777z delivered?")).some((s) => s.fileName === "late-arrival.md"), { timeout: 30_000 }).toBe(true);
  }
  await longUpload;
  await admin.close();
  await expect.poll(() => readyCounts(fillers.map(([n]) => n)), { timeout: 120_000, intervals: [1000] }).toEqual({ ready: 150 });
});

test("a reviewer's decision on server A reaches the agent on server B live", async ({ browser }) => {
  const agent = await (await browser.newContext()).newPage();
  await signIn(agent, SCALE.agent, B);
  await agent.goto(`${B}/chat`);
  await agent.getByLabel("Your question").fill("The customer threatens legal action unless we refund $3,000 today. Can I promise the refund?");
  await agent.getByLabel("Your question").press("Enter");
  await expect(agent.getByTestId("held-notice").last()).toBeVisible();
  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, SCALE.reviewer, A);
  const [item] = await sql<{ id: string }[]>`select id from review_items where status = 'pending' order by created_at desc limit 1`;
  expect((await reviewer.request.post(`${A}/api/review/${item!.id}/claim`)).status()).toBe(200);
  expect((await reviewer.request.post(`${A}/api/review/${item!.id}/decision`, { data: { kind: "edit", text: "Do not promise the refund: a team lead decides refunds over $500.", neededReview: true } })).status()).toBe(200);
  await expect(agent.getByTestId("answer-text").last()).toContainText("a team lead decides refunds over $500", { timeout: 15_000 });
});

test("losing one web server and its worker mid-upload loses nothing: the other takes over", async ({ page }) => {
  await signIn(page, SCALE.admin, A);
  const files = Array.from({ length: 120 }, (_, i) => note(1000 + i));
  const names = files.map(([n]) => n);
  const uploading = upload(page.request, A, files);
  // Killed while its worker holds documents mid-work, so the other worker must take over their leases.
  const pidsOfB = [state.pids.b, ...descendants(state.pids.b)];
  const heldByB = async () =>
    (
      await sql<{ file_name: string }[]>`select d.file_name from documents d join ingest_workers w on w.id = d.worker_id
        where d.kb_id = ${kbId} and w.pid in ${sql(pidsOfB)} and d.status not in ('ready', 'failed', 'queued')`
    ).map((r) => r.file_name);
  await expect.poll(async () => (await heldByB()).length, { timeout: 60_000, intervals: [50] }).toBeGreaterThan(0);
  killTree(state.pids.b);
  // Read again once B is gone: between the poll and the kill its worker may still have finished some (CI of
  // 68eff28), and a commit it had already sent lands a moment later. The takeover takes seconds, not 300 ms.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const held = await heldByB();
  expect(held.length).toBeGreaterThan(0);
  await uploading;
  await expect.poll(() => readyCounts(names), { timeout: 180_000, intervals: [1000] }).toEqual({ ready: 120 });
  const events = await readyEvents(names);
  expect(new Set(events.map((e) => e.target)).size).toBe(120);
  // The documents B held when it died were finished by A's worker.
  const survivor = new Set(events.filter((e) => held.includes(e.target)).map((e) => e.worker));
  expect(survivor.size, JSON.stringify(held)).toBe(1);
  expect(events.filter((e) => held.includes(e.target))).toHaveLength(held.length);
  // Nothing written twice, nothing left half-written: the store holds exactly the chunks the documents table counts.
  const [counted] = await sql<{ n: number }[]>`select coalesce(sum(chunk_count), 0)::int as n from documents where kb_id = ${kbId}`;
  const store = await openLanceVectorStore({ uri: path.join(SCALE.dir, "shared", "lancedb"), embedderId: "wink-sif-100d", dimensions: 100 });
  try {
    expect(await store.count({ kbId })).toBe(counted!.n);
  } finally {
    await store.close();
  }
  const found = await sourcesFor(page.request, A, "What happened to the unit tagged zq1100x?");
  expect(found.filter((s) => s.fileName === "note-1100.md").length).toBeGreaterThan(0);
  // Server A still answers, alone.
  expect((await page.request.get(`${A}/api/health?component=database`)).status()).toBe(200);
});

/** Every process under `pid`. */
function descendants(pid: number): number[] {
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const ppid = Number(fs.readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      return ppid === pid ? [Number(d), ...descendants(Number(d))] : [];
    } catch {
      return [];
    }
  });
}

/** SIGKILL a process and everything under it, supervisor first so nothing is restarted: a lost machine. */
function killTree(pid: number) {
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
