/** Knowledge bases and who may read them; every change is audited in its transaction. */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { documents, kbReaders, knowledgeBases, type Role } from "../schema";
import { insertAuditEvent } from "./audit";
import type { Actor } from "./users";

export type KnowledgeBase = typeof knowledgeBases.$inferSelect;

export interface KnowledgeBaseSettings {
  name: string;
  description: string;
  visibility: "all" | "restricted";
  readerIds: string[];
  chunkTokens?: number;
  chunkOverlap?: number;
  topK?: number;
  minScore?: number;
}

export class SlugTakenError extends Error {}

export async function createKnowledgeBase(db: Database, input: KnowledgeBaseSettings & { slug: string; actor: Actor }): Promise<KnowledgeBase> {
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: knowledgeBases.id }).from(knowledgeBases).where(eq(knowledgeBases.slug, input.slug));
    if (taken) throw new SlugTakenError(`A knowledge base with the slug "${input.slug}" already exists.`);
    const { readerIds, actor, ...values } = input;
    const [kb] = await tx.insert(knowledgeBases).values({ ...values, createdBy: actor.id }).returning();
    if (readerIds.length) await tx.insert(kbReaders).values(readerIds.map((userId) => ({ kbId: kb!.id, userId })));
    await insertAuditEvent(tx, { actorId: actor.id, actorEmail: actor.email, action: "kb.create", target: kb!.slug, details: { kbId: kb!.id, name: kb!.name, visibility: kb!.visibility, readerIds } });
    return kb!;
  });
}

export async function updateKnowledgeBase(db: Database, input: Partial<KnowledgeBaseSettings> & { id: string; actor: Actor }): Promise<KnowledgeBase | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(knowledgeBases).where(eq(knowledgeBases.id, input.id)).for("update");
    if (!before) return undefined;
    const { readerIds, actor, id, ...changes } = input;
    const [after] = await tx.update(knowledgeBases).set({ ...changes, updatedAt: new Date() }).where(eq(knowledgeBases.id, id)).returning();
    let readersBefore: string[] | undefined;
    if (readerIds) {
      readersBefore = (await tx.select({ u: kbReaders.userId }).from(kbReaders).where(eq(kbReaders.kbId, id))).map((r) => r.u);
      await tx.delete(kbReaders).where(eq(kbReaders.kbId, id));
      if (readerIds.length) await tx.insert(kbReaders).values(readerIds.map((userId) => ({ kbId: id, userId })));
    }
    await insertAuditEvent(tx, {
      actorId: actor.id,
      actorEmail: actor.email,
      action: "kb.update",
      target: before.slug,
      details: { kbId: id, before: { name: before.name, description: before.description, visibility: before.visibility, readerIds: readersBefore }, after: { ...changes, readerIds } },
    });
    return after;
  });
}

/** Removes the knowledge base row (documents cascade); the caller removes vectors and files first. */
export async function deleteKnowledgeBaseRow(db: Database, input: { id: string; actor: Actor }): Promise<KnowledgeBase | undefined> {
  return db.transaction(async (tx) => {
    const [kb] = await tx.delete(knowledgeBases).where(eq(knowledgeBases.id, input.id)).returning();
    if (!kb) return undefined;
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action: "kb.delete", target: kb.slug, details: { kbId: kb.id, name: kb.name } });
    return kb;
  });
}

export async function getKnowledgeBase(db: Database, by: { id: string } | { slug: string }): Promise<KnowledgeBase | undefined> {
  const where = "id" in by ? eq(knowledgeBases.id, by.id) : eq(knowledgeBases.slug, by.slug);
  const [kb] = await db.select().from(knowledgeBases).where(where);
  return kb;
}

/** Every knowledge base with its document count and the chunks of its ready documents. */
export async function listKnowledgeBasesWithCounts(db: Database) {
  // Counted in a joined aggregate: a correlated subquery here rendered its outer "id" unqualified
  // (drizzle drops the table name when selecting from one table), so it matched documents.id and counted 0.
  const counts = db
    .select({
      kbId: documents.kbId,
      documents: sql<number>`count(*)::int`.as("documents"),
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}) filter (where ${documents.status} = 'ready'), 0)::int`.as("chunks"),
    })
    .from(documents)
    .groupBy(documents.kbId)
    .as("counts");
  return db
    .select({
      kb: knowledgeBases,
      documents: sql<number>`coalesce(${counts.documents}, 0)`.mapWith(Number),
      chunks: sql<number>`coalesce(${counts.chunks}, 0)`.mapWith(Number),
    })
    .from(knowledgeBases)
    .leftJoin(counts, eq(counts.kbId, knowledgeBases.id))
    .orderBy(asc(knowledgeBases.name));
}

export async function listKbReaderIds(db: Database, { kbId }: { kbId: string }): Promise<string[]> {
  return (await db.select({ u: kbReaders.userId }).from(kbReaders).where(eq(kbReaders.kbId, kbId))).map((r) => r.u);
}

/**
 * Knowledge bases a user may read: reviewers and admins read all; agents read
 * the open ones and the restricted ones that name them.
 */
export async function listReadableKnowledgeBases(db: Database, user: { id: string; role: Role }): Promise<KnowledgeBase[]> {
  if (user.role !== "agent") return db.select().from(knowledgeBases).orderBy(asc(knowledgeBases.name));
  const named = db.select({ kbId: kbReaders.kbId }).from(kbReaders).where(eq(kbReaders.userId, user.id));
  return db
    .select()
    .from(knowledgeBases)
    .where(or(eq(knowledgeBases.visibility, "all"), and(eq(knowledgeBases.visibility, "restricted"), inArray(knowledgeBases.id, named))))
    .orderBy(asc(knowledgeBases.name));
}
