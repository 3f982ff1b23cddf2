/**
 * The routing policy (versioned rows of kind "routing"): which questions are
 * held for review or refused. Every change is written with its audit event in
 * one transaction; a missing policy is seeded with the default. It lives beside
 * the policy's schema, so db/ needs nothing from lib/.
 */
import { inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Actor } from "@/db/queries/users";
import { versionedPolicy, type StoredPolicy } from "@/db/queries/versioned-policy";
import { users } from "@/db/schema";
import { DEFAULT_ROUTING_POLICY } from "./default-policy";
import { routingPolicySchema, type RoutingPolicy } from "./policy";

/** Serialises writers of the routing policy so two saves never pick the same version. */
const ROUTING_POLICY_LOCK = 727011;

/** One version of the routing policy as stored. */
export type StoredRoutingPolicy = StoredPolicy<RoutingPolicy>;

/** A save was based on a version that is no longer the latest. */
export class RoutingPolicyConflictError extends Error {
  constructor(readonly latestVersion: number) {
    super(`The review policy was changed by someone else (now version ${latestVersion}). Reload the page, review the change and try again.`);
    this.name = "RoutingPolicyConflictError";
  }
}

const store = versionedPolicy<RoutingPolicy>({
  kind: "routing",
  schema: routingPolicySchema,
  lock: ROUTING_POLICY_LOCK,
  label: "Routing policy",
  conflict: (latest) => new RoutingPolicyConflictError(latest),
});

/**
 * The latest routing policy. When none is stored yet, `seed` (by default
 * DEFAULT_ROUTING_POLICY) becomes version 1, audited as "policy.routing.seed".
 */
export function getCurrentRoutingPolicy(db: Database, { seed = DEFAULT_ROUTING_POLICY }: { seed?: RoutingPolicy } = {}): Promise<StoredRoutingPolicy> {
  return store.current(db, seed);
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
  /** Labels the retrained classifier it names was trained on; null for the shipped classifier. */
  classifierLabels: number | null;
}

/** Stored versions, newest first. Rows are not re-validated: history must show even old shapes. */
export async function listRoutingPolicyVersions(db: Database, { limit = 20 }: { limit?: number } = {}): Promise<RoutingPolicyVersion[]> {
  const rows = await store.rows(db, limit);
  const ids = [...new Set(rows.map((r) => r.createdBy).filter((id): id is string => id !== null))];
  const emails = new Map<string, string>();
  if (ids.length > 0) {
    const found = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids));
    for (const u of found) emails.set(u.id, u.email);
  }
  return rows.map((r) => ({
    version: r.version,
    createdBy: r.createdBy,
    createdByEmail: r.createdBy ? (emails.get(r.createdBy) ?? null) : null,
    createdAt: r.createdAt,
    topics: Array.isArray(r.body.topics) ? r.body.topics.length : 0,
    classifierLabels: retrainedOn(r.body),
  }));
}

function retrainedOn(body: Record<string, unknown>): number | null {
  const labels = (body.classifier as { model?: { labels?: unknown } } | undefined)?.model?.labels;
  return typeof labels === "number" ? labels : null;
}

/**
 * Store `policy` as the next version, audited as "policy.routing.update" with
 * before and after. With `baseVersion`, refuses (RoutingPolicyConflictError)
 * when someone saved another version since the editor loaded that one.
 */
export function saveRoutingPolicy(
  db: Database,
  input: { policy: RoutingPolicy; actor: Actor; baseVersion?: number; details?: Record<string, unknown> },
): Promise<StoredRoutingPolicy> {
  return store.save(db, input);
}

/** A stored version, or undefined; throws when its body no longer validates. */
export function getRoutingPolicyVersion(db: Database, version: number): Promise<StoredRoutingPolicy | undefined> {
  return store.version(db, version);
}
