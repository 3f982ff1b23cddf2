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
