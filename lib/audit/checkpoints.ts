/**
 * Writes a checkpoint of the audit log's head to the checkpoint file every minute the log has
 * grown (and once more when stopped), so a deletion of the newest events is found by
 * `npm run audit:verify`. Run by each ingest worker (npm start runs one).
 */
import { appendCheckpoint } from "@/db/audit-checkpoints";
import { currentAuditKey } from "@/db/audit-key";
import type { Database } from "@/db/client";
import { auditHead } from "@/db/queries/audit";

export interface CheckpointWriter {
  /** Writes one now if the log grew since the last; returns the checkpointed event id, if any. */
  write(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export function startAuditCheckpoints(db: Database, file: string, options: { everyMs?: number; onError: (error: unknown) => void }): CheckpointWriter {
  let last: number | undefined;
  const write = async () => {
    const key = currentAuditKey();
    const head = await auditHead(db);
    if (!key || !head || head.lastId === last) return undefined;
    appendCheckpoint(file, head, key);
    last = head.lastId;
    return last;
  };
  const timer = setInterval(() => void write().catch(options.onError), options.everyMs ?? 60_000);
  return {
    write,
    stop: async () => {
      clearInterval(timer);
      await write().catch(options.onError);
    },
  };
}
