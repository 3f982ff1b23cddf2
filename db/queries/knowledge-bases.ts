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

export async function listKnowledgeBasesWithCounts(db: Database) {
  return db
    .select({
      kb: knowledgeBases,
      documents: sql<number>`(select count(*)::int from ${documents} d where d.kb_id = ${knowledgeBases.id})`,
      chunks: sql<number>`(select coalesce(sum(d.chunk_count), 0)::int from ${documents} d where d.kb_id = ${knowledgeBases.id} and d.status = 'ready')`,
    })
    .from(knowledgeBases)
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
