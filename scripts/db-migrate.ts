/** npm run db:migrate — apply pending migrations to the configured database. */
import { cliLog, withDatabase } from "./_cli";

await withDatabase(async (db) => {
  // connectDatabase has already migrated; this command exists for deployments that migrate separately.
  cliLog.info(`Migrations are up to date (${db.kind} database).`);
});
