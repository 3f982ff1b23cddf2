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
 * The report with the server's folders replaced by their setting names ("<MODELS_DIR>/x.gguf"):
 * /api/health is open to monitors without sign-in, and absolute paths tell strangers how
 * the machine is laid out. Admin › Models shows the full paths to admins.
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
