/**
 * Evaluation sets (versioned questions per knowledge base) and runs (background jobs
 * with their progress, context and results). Uploads, gate changes and runs are audited
 * in the same transaction as the row they change.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { documents, evalRuns, evalSets, evalSetVersions } from "../schema";
import { insertAuditEvent } from "./audit";
import type { Actor } from "./users";

export type EvalSet = typeof evalSets.$inferSelect;
export type EvalRun = typeof evalRuns.$inferSelect;
export type EvalRunKind = EvalRun["kind"];

const actorFields = (actor: Actor) => ({ actorId: actor.id, actorEmail: actor.email });

/**
 * Stores `items` as the set's next version (creating the set at version 1). `replace`:
 * the upload is the whole set; otherwise the items are added to the current version's.
 */
export async function saveEvalSetVersion(
  db: Database,
  input: { kbId: string; name: string; purpose: EvalSet["purpose"]; items: unknown[]; replace: boolean; actor: Actor },
): Promise<{ set: EvalSet; count: number }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(evalSets).where(and(eq(evalSets.kbId, input.kbId), eq(evalSets.name, input.name))).for("update");
    const by = input.actor.email ?? "system";
    let set: EvalSet;
    let items = input.items;
    if (!existing) {
      [set] = (await tx.insert(evalSets).values({ kbId: input.kbId, name: input.name, purpose: input.purpose, createdBy: by }).returning()) as [EvalSet];
    } else {
      if (!input.replace) {
        const [current] = await tx.select({ items: evalSetVersions.items }).from(evalSetVersions).where(and(eq(evalSetVersions.setId, existing.id), eq(evalSetVersions.version, existing.version)));
        items = [...(current?.items ?? []), ...input.items];
      }
      [set] = (await tx.update(evalSets).set({ version: existing.version + 1, updatedAt: new Date() }).where(eq(evalSets.id, existing.id)).returning()) as [EvalSet];
    }
    await tx.insert(evalSetVersions).values({ setId: set.id, version: set.version, items, createdBy: by });
    await insertAuditEvent(tx, {
      ...actorFields(input.actor),
      action: input.replace ? "eval.set.upload" : "eval.set.add",
      target: set.id,
      details: { kbId: input.kbId, name: set.name, purpose: set.purpose, version: set.version, added: input.items.length, questions: items.length },
    });
    return { set, count: items.length };
  });
}

/** Sets with how many questions their current version holds. */
export async function listEvalSets(db: Database, { kbId }: { kbId?: string } = {}): Promise<(EvalSet & { questions: number })[]> {
  const rows = await db
    .select({ set: evalSets, questions: sql<number>`coalesce(jsonb_array_length(${evalSetVersions.items}), 0)::int` })
    .from(evalSets)
    .leftJoin(evalSetVersions, and(eq(evalSetVersions.setId, evalSets.id), eq(evalSetVersions.version, evalSets.version)))
    .where(kbId ? eq(evalSets.kbId, kbId) : undefined)
    .orderBy(evalSets.name);
  return rows.map((r) => ({ ...r.set, questions: r.questions }));
}

export async function getEvalSet(db: Database, { id }: { id: string }): Promise<EvalSet | undefined> {
  const [set] = await db.select().from(evalSets).where(eq(evalSets.id, id));
  return set;
}

/** The set's questions at `version` (default: its current one). */
export async function getEvalSetItems(db: Database, set: Pick<EvalSet, "id" | "version">, version = set.version): Promise<unknown[]> {
  const [row] = await db.select({ items: evalSetVersions.items }).from(evalSetVersions).where(and(eq(evalSetVersions.setId, set.id), eq(evalSetVersions.version, version)));
  return row?.items ?? [];
}

export async function setEvalSetGated(db: Database, input: { id: string; gated: boolean; actor: Actor }): Promise<EvalSet | undefined> {
  return db.transaction(async (tx) => {
    const [set] = await tx.update(evalSets).set({ gated: input.gated, updatedAt: new Date() }).where(eq(evalSets.id, input.id)).returning();
    if (set) await insertAuditEvent(tx, { ...actorFields(input.actor), action: input.gated ? "eval.set.gate_on" : "eval.set.gate_off", target: set.id, details: { name: set.name, kbId: set.kbId } });
    return set;
  });
}

export async function deleteEvalSet(db: Database, input: { id: string; actor: Actor }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [set] = await tx.delete(evalSets).where(eq(evalSets.id, input.id)).returning();
    if (set) await insertAuditEvent(tx, { ...actorFields(input.actor), action: "eval.set.delete", target: set.id, details: { name: set.name, kbId: set.kbId, version: set.version } });
    return set !== undefined;
  });
}

export interface NewEvalRun {
  kind: EvalRunKind;
  kbId: string | null;
  setId: string | null;
  setVersion: number | null;
  trigger: string;
  total: number;
  context: Record<string, unknown>;
  actor: Actor;
}

export async function createEvalRun(db: Database, input: NewEvalRun): Promise<EvalRun> {
  return db.transaction(async (tx) => {
    const { actor, ...fields } = input;
    const [run] = (await tx.insert(evalRuns).values({ ...fields, startedBy: actor.email ?? "system" }).returning()) as [EvalRun];
    await insertAuditEvent(tx, { ...actorFields(actor), action: "eval.run.start", target: run.id, details: { kind: run.kind, kbId: run.kbId, setId: run.setId, setVersion: run.setVersion, trigger: run.trigger, context: run.context } });
    return run;
  });
}

/** Progress (questions done), or without `done` only the heartbeat that says the run's process lives. */
export async function updateEvalRunProgress(db: Database, input: { id: string; done?: number }): Promise<void> {
  await db
    .update(evalRuns)
    .set({ ...(input.done === undefined ? {} : { done: input.done }), heartbeatAt: new Date() })
    .where(eq(evalRuns.id, input.id));
}

/** Records the outcome and audits it; `actor` is who started the run. */
export async function finishEvalRun(
  db: Database,
  input: { id: string; actor: Actor } & ({ metrics: Record<string, number>; details: Record<string, unknown>; context?: Record<string, unknown> } | { error: string }),
): Promise<EvalRun> {
  return db.transaction(async (tx) => {
    // What the run learned (the answer mode, the model that wrote) is added to what it started with.
    const fields =
      "error" in input
        ? { status: "failed" as const, error: input.error }
        : { status: "done" as const, metrics: input.metrics, details: input.details, context: sql`${evalRuns.context} || ${JSON.stringify(input.context ?? {})}::jsonb` };
    const [run] = (await tx.update(evalRuns).set({ ...fields, finishedAt: new Date(), heartbeatAt: new Date() }).where(eq(evalRuns.id, input.id)).returning()) as [EvalRun];
    await insertAuditEvent(tx, {
      ...actorFields(input.actor),
      action: run.status === "done" ? "eval.run.finish" : "eval.run.fail",
      target: run.id,
      details: { kind: run.kind, setId: run.setId, ...(run.status === "done" ? { metrics: run.metrics } : { error: run.error }) },
    });
    return run;
  });
}

export async function getEvalRun(db: Database, { id }: { id: string }): Promise<EvalRun | undefined> {
  const [run] = await db.select().from(evalRuns).where(eq(evalRuns.id, id));
  return run;
}

/** Runs newest first, optionally of one knowledge base, set or kind. */
export function listEvalRuns(db: Database, filter: { kbId?: string; setId?: string; kind?: EvalRunKind; status?: EvalRun["status"]; limit?: number } = {}): Promise<EvalRun[]> {
  const where = and(
    filter.kbId ? eq(evalRuns.kbId, filter.kbId) : undefined,
    filter.setId ? eq(evalRuns.setId, filter.setId) : undefined,
    filter.kind ? eq(evalRuns.kind, filter.kind) : undefined,
    filter.status ? eq(evalRuns.status, filter.status) : undefined,
  );
  return db
    .select()
    .from(evalRuns)
    .where(where)
    .orderBy(desc(evalRuns.createdAt))
    .limit(filter.limit ?? 200);
}

/** What a knowledge base's index held when a run started: its searchable documents and their newest change. */
export async function indexStateOf(db: Database, kbId: string): Promise<{ documents: number; chunks: number; lastChange: string | null }> {
  const [row] = await db
    .select({ documents: sql<number>`count(*)::int`, chunks: sql<number>`coalesce(sum(${documents.chunkCount}), 0)::int`, last: sql<string | null>`max(${documents.updatedAt})::text` })
    .from(documents)
    .where(and(eq(documents.kbId, kbId), eq(documents.status, "ready")));
  return { documents: row?.documents ?? 0, chunks: row?.chunks ?? 0, lastChange: row?.last ?? null };
}

/** Marks runs whose process stopped beating as failed (their web server or CLI died); returns how many. */
export async function failStaleEvalRuns(db: Database, { olderThanMs }: { olderThanMs: number }): Promise<number> {
  const rows = await db
    .update(evalRuns)
    .set({ status: "failed", error: "interrupted: the process running it stopped", finishedAt: new Date() })
    .where(and(eq(evalRuns.status, "running"), lt(evalRuns.heartbeatAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`)))
    .returning({ id: evalRuns.id });
  return rows.length;
}
