/**
 * npm run bench:chat-load [-- --agents 50 --seconds 60 --think 3 --slots 2 --queue 16 --tokens 40 --token-ms 25] [--servers 1,2]
 * Many agents asking at once. Starts Vouch as `npm start` does, twice on fresh data folders, in
 * front of a stand-in model server of fixed capacity (`slots` answers at once, `queue` more
 * waiting, then 429, as vLLM and llama.cpp server do): once with every turn sent straight to the
 * model ("no line", GENERATION_SLOTS=1000), once with the web server's line (GENERATION_SLOTS =
 * the model's slots). Each agent signs in, then asks questions of the sample knowledge base for
 * `seconds`, pausing `think` seconds (±50%) between them. Prints turns, failed turns, time to the
 * first text the agent can read (p50, p95), and how turns were served. Prints; asserts nothing.
 * With --servers: the same load (with the line) against one deployment of 1, then 2, … web servers
 * and workers sharing one PostgreSQL database, LanceDB folder and model server; agents are spread
 * over the servers, and the model's slots are shared between their lines.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { acquireEmbeddedPostgres, freePort } from "@/db/runtime/embedded";
import { parseArgs } from "@/scripts/_cli";
import { ask, createAgent, signIn, type Session, type TurnResult } from "./agents";
import { createDatabaseOn } from "@/test/support/database-server";
import { startApp, writeManifest, type RunningApp } from "./app";
import { startModelServer } from "./model-server";

const { flags } = parseArgs(process.argv.slice(2));
const num = (name: string, fallback: number) => (flags[name] === undefined ? fallback : Number(flags[name]));
const o = { agents: num("agents", 50), seconds: num("seconds", 60), think: num("think", 3), slots: num("slots", 2), queue: num("queue", 16), tokens: num("tokens", 40), tokenMs: num("token-ms", 25) };
const MODEL = "bench-writer";
const QUESTIONS = fs
  .readFileSync(path.resolve(import.meta.dirname, "../../eval/answers/sample-kb-a.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { q: string }).q);

console.log(`${o.agents} agents for ${o.seconds} s, ${o.think} s between questions; model server: ${o.slots} slots, queue ${o.queue}, ${o.tokens} tokens × ${o.tokenMs} ms`);
const rows: string[][] = [];
const servers = typeof flags.servers === "string" ? flags.servers.split(",").map(Number) : [];
const configs = servers.length
  ? servers.map((n) => ({ name: `${n} server${n === 1 ? "" : "s"}`, slots: String(Math.max(1, Math.floor(o.slots / n))), servers: n }))
  : [
      { name: "no line", slots: "1000", servers: 0 },
      { name: "line", slots: String(o.slots), servers: 0 },
    ];
for (const config of configs) {
  const result = config.servers ? await runDeployment(config.servers, config.slots) : await run(config.slots);
  rows.push([config.name, ...summary(result.turns), String(result.refused)]);
  for (const error of [...new Set(result.turns.filter((t) => !t.ok).map((t) => t.error ?? t.status))].slice(0, 3)) console.log(`  ${config.name}: failed turn: ${error}`);
}
const header = ["", "turns", "failed", "turns/min", "first text p50", "first text p95", "waited in line", "quoted: busy", "model 429s"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const line of [header, ...rows]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));

/** `n` npm starts on one embedded PostgreSQL, LanceDB folder and originals folder; the first seeds the demo. */
async function runDeployment(n: number, slots: string): Promise<{ turns: TurnResult[]; refused: number }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-chat-load-"));
  fs.chmodSync(scratch, 0o755);
  const pg = await acquireEmbeddedPostgres(path.join(scratch, "postgres"), { info: () => {}, warn: (m) => console.warn(m) });
  const database = await createDatabaseOn(pg.url, "vouch_load");
  const model = await startModelServer({ model: MODEL, slots: o.slots, queueMax: o.queue, tokens: o.tokens, tokenMs: o.tokenMs });
  const shared = {
    DATABASE_URL: database.url,
    LANCEDB_URI: path.join(scratch, "lancedb"),
    FILES_DIR: path.join(scratch, "files"),
    AUTH_SECRET: "chat-load-bench-auth-secret-shared",
    AUDIT_KEY: "chat-load-bench-audit-key-shared",
    LLM_BASE_URL: model.baseUrl,
    LLM_MODEL: MODEL,
    ANSWER_MODE: "generate",
    MODELS_MANIFEST: writeManifest(path.join(scratch, "models"), MODEL),
    GENERATION_SLOTS: slots,
  };
  const apps: RunningApp[] = [];
  try {
    // One after the other: the first migrates and seeds the demo users and the sample knowledge base.
    for (let i = 0; i < n; i++) apps.push(await startApp({ ...shared, DATA_DIR: path.join(scratch, `data-${i}`), ...(i > 0 ? { DEMO_MODE: "off" } : {}) }, await freePort(), { demo: i === 0 }));
    return { turns: await load(apps.map((a) => a.baseUrl), apps[0]!.adminPassword), refused: model.stats.refused };
  } finally {
    for (const app of apps.reverse()) await app.stop();
    await model.close();
    await database.drop();
    await pg.release();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function run(slots: string): Promise<{ turns: TurnResult[]; refused: number }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-chat-load-"));
  // Vouch creates its data folder itself, so when run as root its PostgreSQL user may enter it.
  fs.chmodSync(scratch, 0o755);
  const dataDir = path.join(scratch, "data");
  const model = await startModelServer({ model: MODEL, slots: o.slots, queueMax: o.queue, tokens: o.tokens, tokenMs: o.tokenMs });
  const app = await startApp(
    { DATA_DIR: dataDir, LLM_BASE_URL: model.baseUrl, LLM_MODEL: MODEL, ANSWER_MODE: "generate", MODELS_MANIFEST: writeManifest(path.join(scratch, "models"), MODEL), GENERATION_SLOTS: slots },
    await freePort(),
  );
  try {
    return { turns: await load([app.baseUrl], app.adminPassword), refused: model.stats.refused };
  } finally {
    await app.stop();
    await model.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Signs the agents in, agent i on server i mod n, and lets them ask for the benchmark's seconds. */
async function load(baseUrls: string[], adminPassword: string): Promise<TurnResult[]> {
  const admin = await signIn(baseUrls[0]!, "admin@demo.vouch", adminPassword);
  for (const base of baseUrls) await waitForKnowledge(base === baseUrls[0] ? admin : await signIn(base, "admin@demo.vouch", adminPassword));
  const agents: Session[] = [];
  for (let i = 0; i < o.agents; i++) {
    const email = `load-agent-${i}@bench.test`;
    await createAgent(admin, email, "bench-agent-password");
    agents.push(await signIn(baseUrls[i % baseUrls.length]!, email, "bench-agent-password"));
  }
  const turns: TurnResult[] = [];
  const deadline = Date.now() + o.seconds * 1000;
  await Promise.all(
    agents.map(async (session, i) => {
      // Agents start over the first think time, as people do, not in one instant.
      await sleep(Math.random() * o.think * 1000);
      for (let q = i; Date.now() < deadline; q++) {
        turns.push(await ask(session, QUESTIONS[q % QUESTIONS.length]!));
        await sleep(o.think * 1000 * (0.5 + Math.random()));
      }
    }),
  );
  return turns;
}

/** The sample knowledge base is ingested in the background after the first start. */
async function waitForKnowledge(session: Session): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const turn = await ask(session, "What does ground shipping cost in the United States?");
    if (turn.firstTextMs !== null && turn.status === "complete") return;
    await sleep(2000);
  }
  throw new Error("the sample knowledge base was not searchable within 4 minutes");
}

function summary(turns: TurnResult[]): string[] {
  const failed = turns.filter((t) => !t.ok).length;
  const firsts = turns.map((t) => t.firstTextMs).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const pct = (p: number) => (firsts.length ? `${(firsts[Math.min(firsts.length - 1, Math.floor(p * firsts.length))]! / 1000).toFixed(1)} s` : "—");
  const share = (n: number) => `${Math.round((100 * n) / Math.max(1, turns.length))}%`;
  return [
    String(turns.length),
    String(failed),
    ((turns.length * 60) / o.seconds).toFixed(0),
    pct(0.5),
    pct(0.95),
    share(turns.filter((t) => t.waitedInLine).length),
    share(turns.filter((t) => t.quotedBecauseBusy).length),
  ];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
