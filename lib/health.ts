/** Runs each component's health check with a time limit; the app is up only when all are. */
export interface ComponentStatus {
  status: "up" | "down";
  message?: string;
  [detail: string]: unknown;
}

export interface HealthCheck {
  name: string;
  check(): Promise<Omit<ComponentStatus, "status"> & { ok: boolean }>;
}

export interface HealthReport {
  status: "up" | "down";
  components: Record<string, ComponentStatus>;
}

export async function runHealthChecks(checks: HealthCheck[], timeoutMs = 5_000): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const { ok, ...rest } = await Promise.race([check(), timeout]);
        return [name, { ...rest, status: ok ? "up" : "down" } satisfies ComponentStatus] as const;
      } catch (error) {
        return [name, { status: "down", message: (error as Error).message } satisfies ComponentStatus] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const components = Object.fromEntries(results);
  return { status: results.every(([, r]) => r.status === "up") ? "up" : "down", components };
}

/**
 * What a caller who is not a signed-in admin sees: each component's up or down, which is all a
 * monitor or load balancer needs. Messages, model names and versions stay with admins: they
 * name the models an organisation runs and why one is refused.
 */
export function statusOnly(report: HealthReport): HealthReport & { details: string } {
  const components = Object.fromEntries(Object.entries(report.components).map(([name, c]) => [name, { status: c.status }]));
  return { status: report.status, components, details: "Sign in as an admin to see each component's details." };
}

/**
 * The report with the server's folders replaced by their setting names ("<MODELS_DIR>/x.gguf"):
 * /api/health's details go to admins' browsers and logs, where absolute paths say more about how
 * the machine is laid out than anyone needs. Admin › Models shows the full paths to admins.
 */
const OTHER_ABSOLUTE_PATH = /(?<![\w:/.<>-])\/(?:[^\s/()'"<>]+\/)+([^\s/()'"<>]+)/g;

export function redactPaths(report: HealthReport, folders: Record<string, string>): HealthReport {
  // Longest first, so a folder inside another (DATA_DIR/files) gets its own name.
  const pairs = Object.entries(folders)
    .filter(([, dir]) => dir.length > 1)
    .sort(([, a], [, b]) => b.length - a.length);
  const redact = (value: unknown): unknown => {
    if (typeof value === "string") {
      const named = pairs.reduce((s, [name, dir]) => s.split(dir).join(`<${name}>`), value);
      // Any other absolute path keeps only its file name; URLs ("http://host:port/v1") are left alone.
      return named.replace(OTHER_ABSOLUTE_PATH, (_, name: string) => `…/${name}`);
    }
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    return value;
  };
  return redact(report) as HealthReport;
}
