/**
 * npm run eval -- --kb <slug> [--set <name>] [--red-team] [--as <admin email>]
 * Runs the knowledge base's question sets (or the one named) headless, as Admin › Evaluation
 * does: retrieval for sets with expected documents, answers for sets with expected facts,
 * routing for labelled sets; with --red-team the red-team suite too. Runs are stored (the
 * page charts them). A gated set must score at least as well as its previous run on the
 * gate's metrics; the command exits 1 when one does not, 2 on a usage or setup error.
 */
import { getEvalSetItems, listEvalRuns, listEvalSets, type EvalRun, type EvalRunKind } from "@/db/queries/evaluation";
import { getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { listUsers } from "@/db/queries/users";
import { withActiveEmbedding } from "@/lib/embeddings/active";
import { openEngines } from "@/lib/engines/open";
import { GATE_METRICS } from "@/lib/eval/gates";
import { headlessJobDeps } from "@/lib/eval/headless";
import { readQuestions } from "@/lib/eval/items";
import { startEvalRun } from "@/lib/eval/jobs";
import { answerItems, retrievalTotal, setLabels } from "@/lib/eval/runners";
import { formatMetric, KIND_LABELS } from "@/lib/eval/views";
import { withActiveGeneration } from "@/lib/llm/active";
import { openModelGate } from "@/lib/models/wiring";
import { cliLog, parseArgs, startWithNativeSettings, withDatabase } from "./_cli";

await startWithNativeSettings();
const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.kb !== "string") {
  console.error("Usage: npm run eval -- --kb <slug> [--set <name>] [--red-team] [--as <admin email>]");
  process.exit(2);
}
const slug = flags.kb;

const failedGates = await withDatabase(async ({ db }, base) => {
  const kb = await getKnowledgeBase(db, { slug });
  if (!kb) return usage(`There is no knowledge base "${slug}".`);
  const admins = (await listUsers(db)).filter((u) => u.role === "admin" && u.active);
  const admin = typeof flags.as === "string" ? admins.find((u) => u.email === flags.as) : admins[0];
  if (!admin) return usage(typeof flags.as === "string" ? `No active admin ${flags.as}.` : "Create an admin first (npm run user:add); runs are recorded under an admin's name.");
  const sets = (await listEvalSets(db, { kbId: kb.id })).filter((s) => s.purpose === "questions" && (typeof flags.set !== "string" || s.name === flags.set));
  if (sets.length === 0 && flags["red-team"] !== true) return usage(typeof flags.set === "string" ? `"${kb.slug}" has no question set "${flags.set}".` : `"${kb.slug}" has no question sets; upload one in Admin › Evaluation.`);

  const env = withActiveEmbedding(withActiveGeneration(base));
  const gate = await openModelGate(db, env);
  const engines = await openEngines(env, cliLog.info);
  try {
    const actor = { id: admin.id, email: admin.email };
    const deps = headlessJobDeps({ env, db, engines, gate, actor, warn: cliLog.warn });
    const failed: string[] = [];
    for (const set of sets) {
      const items = readQuestions(await getEvalSetItems(db, set));
      // The kinds of run the set has questions for (routing: labelled ones).
      const usable: Record<Exclude<EvalRunKind, "red-team">, number> = { retrieval: retrievalTotal(items), answers: answerItems(items).length, routing: setLabels(items).length };
      const kinds = (Object.keys(usable) as (keyof typeof usable)[]).filter((kind) => usable[kind] > 0);
      for (const kind of kinds) {
        // Against the previous run on the same questions: a new version of the set starts afresh.
        const previous = (await listEvalRuns(db, { setId: set.id, kind, status: "done", limit: 20 })).find((r) => r.setVersion === set.version);
        const run = await (await startEvalRun(deps, { kind, kbId: kb.id, setId: set.id, actor, trigger: "cli" })).finished;
        const worse = report(`${set.name} v${set.version}${set.gated ? " (gated)" : ""}`, run, previous);
        if (set.gated && worse.length) failed.push(`${set.name} ${kind}: ${worse.join(", ")}`);
      }
    }
    if (flags["red-team"] === true) {
      const [previous] = await listEvalRuns(db, { kbId: kb.id, kind: "red-team", status: "done", limit: 1 });
      report("red-team suite", await (await startEvalRun(deps, { kind: "red-team", kbId: kb.id, actor, trigger: "cli" })).finished, previous);
    }
    return failed;
  } finally {
    gate.stop();
    await engines.close();
  }
});

if (failedGates.length) {
  console.log(`\nGate failed: a gated set scores worse than its previous run:\n  ${failedGates.join("\n  ")}`);
  process.exit(1);
}
console.log("\nNo gated set scores worse than its previous run.");
process.exit(0);

function usage(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Prints the run's headline metrics beside the previous run's; returns the gate metrics that dropped. */
function report(what: string, run: EvalRun, previous: EvalRun | undefined): string[] {
  console.log(`\n${KIND_LABELS[run.kind]} · ${what} · ${run.status}${run.error ? `: ${run.error}` : ""}`);
  if (run.status !== "done") return [`the run failed (${run.error})`];
  const worse: string[] = [];
  const gateFirst = (k: string) => (GATE_METRICS[run.kind].includes(k) ? 0 : 1);
  const entries = Object.entries(run.metrics ?? {}).sort(([a], [b]) => gateFirst(a) - gateFirst(b) || a.localeCompare(b));
  for (const [key, value] of entries) {
    const before = previous?.metrics?.[key];
    const gated = GATE_METRICS[run.kind].includes(key);
    const dropped = gated && before !== undefined && value < before - 1e-9;
    if (dropped) worse.push(`${key} ${formatMetric(key, value)} < ${formatMetric(key, before)}`);
    console.log(`  ${key.padEnd(22)} ${formatMetric(key, value).padStart(7)}${before === undefined ? "" : `   previous ${formatMetric(key, before)}`}${dropped ? "   WORSE" : ""}`);
  }
  return worse;
}
