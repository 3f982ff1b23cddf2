/** npm run audit:verify — walk the audit hash chain and report the first broken link. */
import { verifyAuditChain } from "@/db/queries/audit";
import { withDatabase } from "./_cli";

const verdict = await withDatabase((db) => verifyAuditChain(db.db));
if (verdict.ok) {
  console.log(`Audit chain verified: ${verdict.checked} event${verdict.checked === 1 ? "" : "s"}, no broken links.`);
} else {
  console.error(`Audit chain BROKEN at event ${verdict.brokenAt}: ${verdict.reason}. ${verdict.checked} event(s) before it verified.`);
  process.exitCode = 1;
}
