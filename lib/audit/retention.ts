/**
 * The retention job: once an hour (and at start), clears the question and answer texts of turn
 * records older than the retention period, keeping their hashes; each purge is one audit event.
 * Run by each ingest worker (npm start runs one); two workers purging at once clear each row once.
 */
import type { Database } from "@/db/client";
import { getRetention } from "@/db/queries/settings";
import { purgeTurnTexts } from "@/db/queries/turn-records";
import { SYSTEM_ACTOR } from "@/db/queries/users";

const DAY_MS = 86_400_000;

export interface RetentionJob {
  /** Purges now; returns how many records had their texts cleared. */
  run(): Promise<number>;
  stop(): void;
}

export function startRetentionJob(db: Database, options: { everyMs?: number; onError: (error: unknown) => void; now?: () => Date }): RetentionJob {
  const run = async () => {
    const { days } = await getRetention(db);
    const now = options.now?.() ?? new Date();
    return purgeTurnTexts(db, { before: new Date(now.getTime() - days * DAY_MS), actor: { ...SYSTEM_ACTOR, email: "retention job" } });
  };
  const first = setTimeout(() => void run().catch(options.onError), 5_000);
  const timer = setInterval(() => void run().catch(options.onError), options.everyMs ?? 3_600_000);
  return {
    run,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
