/**
 * npm run audit:verify — walk the audit hash chain with the audit key, report the first broken
 * link, check every turn record against the hash the chain holds for it, and check that the
 * newest checkpoint's events are all still there.
 */
import { checkpointFile, newestCheckpoint } from "@/db/audit-checkpoints";
import { currentAuditKey } from "@/db/audit-key";
import { matchesCheckpoint, verifyAuditChain } from "@/db/queries/audit";
import { verifyTurnRecords } from "@/db/queries/turn-records";
import { withDatabase } from "./_cli";

const failures = await withDatabase(async (db, env) => {
  const problems: string[] = [];
  const verdict = await verifyAuditChain(db.db);
  if (verdict.ok) console.log(`Audit chain verified: ${verdict.checked} event${verdict.checked === 1 ? "" : "s"}, no broken links${verdict.keyed ? ", keyed" : ""}.`);
  else problems.push(`Audit chain BROKEN at event ${verdict.brokenAt}: ${verdict.reason}. ${verdict.checked} event(s) before it verified.`);
  // Each answered turn's record against the hash the chain holds for it.
  const turns = await verifyTurnRecords(db.db);
  if (turns.broken.length === 0) console.log(`Turn records verified: ${turns.checked}, each as the audit log recorded it.`);
  for (const b of turns.broken.slice(0, 20)) problems.push(`Turn record ${b.id}: ${b.reason}.`);
  if (turns.broken.length > 20) problems.push(`… and ${turns.broken.length - 20} more turn records.`);
  const key = currentAuditKey();
  const file = checkpointFile(env);
  const { checkpoint, rejected } = newestCheckpoint(file, new Map(key ? [[key.id, key]] : []));
  if (rejected) problems.push(`${rejected} checkpoint line(s) in ${file} do not carry a valid MAC for this audit key (changed, or written with another key).`);
  if (!checkpoint) console.log(`No checkpoint yet in ${file} (the ingest worker writes one each minute the log grows).`);
  else {
    const mismatch = await matchesCheckpoint(db.db, checkpoint);
    if (mismatch) problems.push(`Audit log does not match the checkpoint of ${checkpoint.at}: ${mismatch}.`);
    else console.log(`Newest checkpoint (${checkpoint.at}, ${checkpoint.count} events up to event ${checkpoint.lastId}) matches.`);
  }
  return problems;
});
for (const problem of failures) console.error(problem);
if (failures.length) process.exitCode = 1;
