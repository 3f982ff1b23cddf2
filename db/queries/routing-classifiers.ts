/** Risk classifiers retrained from routing labels, kept by sha256 so every policy version can name its own. */
import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { routingClassifiers } from "../schema";

type Writer = Pick<Database, "insert">;

export interface StoredClassifier {
  sha256: string;
  body: string;
  training: Record<string, unknown>;
  createdBy: string | null;
}

/** Stores a model file; the same bytes twice are one row. Takes a transaction too. */
export async function insertRoutingClassifier(db: Writer, input: StoredClassifier): Promise<void> {
  await db.insert(routingClassifiers).values(input).onConflictDoNothing({ target: routingClassifiers.sha256 });
}

/** The model file stored under `sha256`, or undefined. */
export async function getRoutingClassifierBody(db: Database, sha256: string): Promise<string | undefined> {
  const [row] = await db.select({ body: routingClassifiers.body }).from(routingClassifiers).where(eq(routingClassifiers.sha256, sha256));
  return row?.body;
}
