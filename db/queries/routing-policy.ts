/**
 * The routing policy (versioned rows of kind "routing"): which questions are
 * held for review or refused. Every change is written with its audit event in
 * one transaction; a missing policy is seeded with the default.
 */
import { desc, eq, sql } from "drizzle-orm";
import { DEFAULT_ROUTING_POLICY } from "@/lib/policy/default-policy";
import { routingPolicySchema, type RoutingPolicy } from "@/lib/policy/policy";
import type { Database, Executor } from "../client";
import { policies } from "../schema";
import { insertAuditEvent } from "./audit";
import { SYSTEM_ACTOR, type Actor } from "./users";

/** Serialises writers of the routing policy so two saves never pick the same version. */
const ROUTING_POLICY_LOCK = 727011;

/** One version of the routing policy as stored. */
export interface StoredRoutingPolicy {
  version: number;
  policy: RoutingPolicy;
  createdBy: string | null;
  createdAt: Date;
}

/** A save was based on a version that is no longer the latest. */
export class RoutingPolicyConflictError extends Error {
  constructor(readonly latestVersion: number) {
    super(`The review policy was changed by someone else (now version ${latestVersion}). Reload the page, review the change and try again.`);
    this.name = "RoutingPolicyConflictError";
  }
}

type PolicyRow = typeof policies.$inferSelect;

function toStored(row: PolicyRow): StoredRoutingPolicy {
  const parsed = routingPolicySchema.safeParse(row.body);
  // A row that no longer parses was edited outside the app; refusing loudly beats routing on a guess.
  if (!parsed.success) {
    throw new Error(`Routing policy version ${row.version} in the database is invalid: ${parsed.error.issues[0]?.message ?? "unknown problem"}`);
  }
  return { version: row.version, policy: parsed.data, createdBy: row.createdBy, createdAt: row.createdAt };
}

async function latestRow(db: Executor): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(policies).where(eq(policies.kind, "routing")).orderBy(desc(policies.version)).limit(1);
  return row;
}

/**
 * The latest routing policy. When none is stored yet, `seed` (by default
 * DEFAULT_ROUTING_POLICY) becomes version 1, audited as "policy.routing.seed".
 */
export async function getCurrentRoutingPolicy(db: Database, { seed = DEFAULT_ROUTING_POLICY }: { seed?: RoutingPolicy } = {}): Promise<StoredRoutingPolicy> {
  const existing = await latestRow(db);
  if (existing) return toStored(existing);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROUTING_POLICY_LOCK})`);
    const raced = await latestRow(tx);
    if (raced) return toStored(raced);
    const body = routingPolicySchema.parse(seed);
    const [row] = await tx.insert(policies).values({ kind: "routing", version: 1, body, createdBy: null }).returning();
    await insertAuditEvent(tx, {
      actorId: SYSTEM_ACTOR.id,
      actorEmail: SYSTEM_ACTOR.email,
      action: "policy.routing.seed",
      target: "routing",
      details: { version: 1, policy: body },
    });
    return toStored(row!);
  });
}

/** A version in the history, with who saved it. */
export interface RoutingPolicyVersion {
  version: number;
  createdBy: string | null;
  /** Email of the person who saved it; null for the seeded default or a deleted user. */
  createdByEmail: string | null;
  createdAt: Date;
  /** Topic count and decision-relevant figures, for the history list. */
  topics: number;
}

/** Stored versions, newest first. Rows are not re-validated: history must show even old shapes. */
export async function listRoutingPolicyVersions(db: Database, { limit = 20 }: { limit?: number } = {}): Promise<RoutingPolicyVersion[]> {
  const rows = await db.query.policies.findMany({
    where: eq(policies.kind, "routing"),
    orderBy: desc(policies.version),
    limit,
  });
  const ids = [...new Set(rows.map((r) => r.createdBy).filter((id): id is string => id !== null))];
  const emails = new Map<string, string>();
  if (ids.length > 0) {
    const found = await db.query.users.findMany({ where: (u, { inArray }) => inArray(u.id, ids), columns: { id: true, email: true } });
    for (const u of found) emails.set(u.id, u.email);
  }
  return rows.map((r) => ({
    version: r.version,
    createdBy: r.createdBy,
    createdByEmail: r.createdBy ? (emails.get(r.createdBy) ?? null) : null,
    createdAt: r.createdAt,
    topics: Array.isArray(r.body.topics) ? r.body.topics.length : 0,
  }));
}

/**
 * Store `policy` as the next version, audited as "policy.routing.update" with
 * before and after. With `baseVersion`, refuses (RoutingPolicyConflictError)
 * when someone saved another version since the editor loaded that one.
 */
export async function saveRoutingPolicy(
  db: Database,
  input: { policy: RoutingPolicy; actor: Actor; baseVersion?: number },
): Promise<StoredRoutingPolicy> {
  const body = routingPolicySchema.parse(input.policy);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROUTING_POLICY_LOCK})`);
    const before = await latestRow(tx);
    const latestVersion = before?.version ?? 0;
    if (input.baseVersion !== undefined && input.baseVersion !== latestVersion) throw new RoutingPolicyConflictError(latestVersion);
    const [row] = await tx
      .insert(policies)
      .values({ kind: "routing", version: latestVersion + 1, body, createdBy: input.actor.id })
      .returning();
    await insertAuditEvent(tx, {
      actorId: input.actor.id,
      actorEmail: input.actor.email,
      action: "policy.routing.update",
      target: "routing",
      details: { version: row!.version, before: before?.body ?? null, after: body },
    });
    return toStored(row!);
  });
}
