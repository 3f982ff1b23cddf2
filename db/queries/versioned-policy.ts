/**
 * Versioned policies (rows of `policies` by kind): read the latest, seed
 * version 1 once, save the next version. Each write runs with its audit event
 * in one transaction, under an advisory lock so two saves never take the same
 * version, and can be made conditional on the version the editor loaded.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database, Executor } from "../client";
import { policies } from "../schema";
import { insertAuditEvent } from "./audit";
import { SYSTEM_ACTOR, type Actor } from "./users";

export type PolicyRow = typeof policies.$inferSelect;

export interface StoredPolicy<T> {
  version: number;
  policy: T;
  createdBy: string | null;
  createdAt: Date;
}

export interface VersionedPolicyOptions<T> {
  kind: PolicyRow["kind"];
  schema: z.ZodType<T>;
  /** Advisory lock id serialising writers of this kind. */
  lock: number;
  /** "Model policy", "Routing policy": for messages. */
  label: string;
  /** The error a stale save throws (a subclass callers can catch by type). */
  conflict(latestVersion: number): Error;
}

export function versionedPolicy<T>(o: VersionedPolicyOptions<T>) {
  function toStored(row: PolicyRow): StoredPolicy<T> {
    const parsed = o.schema.safeParse(row.body);
    // A row that no longer parses was edited outside the app; refusing loudly beats acting on a guess.
    if (!parsed.success) throw new Error(`${o.label} version ${row.version} in the database is invalid: ${parsed.error.issues[0]?.message ?? "unknown problem"}`);
    return { version: row.version, policy: parsed.data, createdBy: row.createdBy, createdAt: row.createdAt };
  }

  async function latestRow(db: Executor): Promise<PolicyRow | undefined> {
    const [row] = await db.select().from(policies).where(eq(policies.kind, o.kind)).orderBy(desc(policies.version)).limit(1);
    return row;
  }

  return {
    toStored,
    /** The latest version; when none is stored, `seed` becomes version 1, audited as "policy.<kind>.seed". */
    async current(db: Database, seed: T, seedDetails: Record<string, unknown> = {}): Promise<StoredPolicy<T>> {
      const existing = await latestRow(db);
      if (existing) return toStored(existing);
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${o.lock})`);
        const raced = await latestRow(tx);
        if (raced) return toStored(raced);
        const body = o.schema.parse(seed) as Record<string, unknown>;
        const [row] = await tx.insert(policies).values({ kind: o.kind, version: 1, body, createdBy: null }).returning();
        await insertAuditEvent(tx, {
          actorId: SYSTEM_ACTOR.id,
          actorEmail: SYSTEM_ACTOR.email,
          action: `policy.${o.kind}.seed`,
          target: o.kind,
          details: { version: 1, policy: body, ...seedDetails },
        });
        return toStored(row!);
      });
    },
    /** Stored rows, newest first, not re-validated (history shows old shapes too). */
    rows(db: Database, limit: number): Promise<PolicyRow[]> {
      return db.select().from(policies).where(eq(policies.kind, o.kind)).orderBy(desc(policies.version)).limit(limit);
    },
    /** One stored version, validated; undefined when there is no such version. */
    async version(db: Database, version: number): Promise<StoredPolicy<T> | undefined> {
      const [row] = await db.select().from(policies).where(and(eq(policies.kind, o.kind), eq(policies.version, version)));
      return row ? toStored(row) : undefined;
    },
    /** Stores the next version, audited as "policy.<kind>.update" with before and after. */
    async save(db: Database, input: { policy: T; actor: Actor; baseVersion?: number; details?: Record<string, unknown> }): Promise<StoredPolicy<T>> {
      const body = o.schema.parse(input.policy) as Record<string, unknown>;
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${o.lock})`);
        const before = await latestRow(tx);
        const latestVersion = before?.version ?? 0;
        if (input.baseVersion !== undefined && input.baseVersion !== latestVersion) throw o.conflict(latestVersion);
        const [row] = await tx.insert(policies).values({ kind: o.kind, version: latestVersion + 1, body, createdBy: input.actor.id }).returning();
        await insertAuditEvent(tx, {
          actorId: input.actor.id,
          actorEmail: input.actor.email,
          action: `policy.${o.kind}.update`,
          target: o.kind,
          details: { version: row!.version, before: before?.body ?? null, after: body, ...input.details },
        });
        return toStored(row!);
      });
    },
  };
}
