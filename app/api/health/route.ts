import { getSql } from "@/lib/db";
import { runHealthChecks, type HealthCheck } from "@/lib/health";
import { route } from "@/lib/http/route";

const checks: HealthCheck[] = [
  {
    name: "database",
    async check() {
      const sql = await getSql();
      const [row] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
      return { ok: true, version: row?.version };
    },
  },
];

/** Each component's status: 200 when all are up, 503 otherwise. Open to monitors without sign-in. */
export const GET = route(async () => {
  const report = await runHealthChecks(checks);
  return Response.json(report, { status: report.status === "up" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
