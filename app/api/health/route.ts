import { getSessionState } from "@/lib/auth/session";
import { getSql } from "@/lib/db";
import { engineHealthChecks } from "@/lib/engines/health";
import { modelsHealthCheck } from "@/lib/models/service";
import { getEnv } from "@/lib/env";
import { redactPaths, runHealthChecks, statusOnly, type HealthCheck } from "@/lib/health";
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
  modelsHealthCheck,
  ...engineHealthChecks,
];

/**
 * Each component's status: 200 when all are up, 503 otherwise. Open to monitors without sign-in,
 * who get up or down per component; a signed-in admin also gets each component's details.
 * `?component=database,models` checks only those (a readiness probe that should not wait on a refused model role).
 */
export const GET = route(async (request) => {
  const wanted = new URL(request.url).searchParams.get("component")?.split(",").map((s) => s.trim()).filter(Boolean);
  const selected = wanted?.length ? checks.filter((c) => wanted.includes(c.name)) : checks;
  if (wanted?.length && selected.length !== wanted.length) {
    const known = checks.map((c) => c.name).join(", ");
    return Response.json({ code: "bad_request:health", message: `Unknown component; known components are: ${known}.` }, { status: 400 });
  }
  const env = getEnv();
  const session = await getSessionState();
  const full = redactPaths(await runHealthChecks(selected), {
    FILES_DIR: env.filesDir,
    DATA_DIR: env.dataDir,
    MODELS_DIR: env.modelsDir,
    MODELS_MANIFEST: env.manifestFile,
    "project folder": process.cwd(),
  });
  const report = session.user?.role === "admin" ? full : statusOnly(full);
  return Response.json(report, { status: report.status === "up" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
