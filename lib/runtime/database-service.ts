/** The data folder's embedded PostgreSQL as a supervised service: watched by its pid, restarted on its port. */
import { isEmbeddedPostgresRunning, restartEmbeddedPostgres } from "@/db/runtime/embedded";
import type { RuntimeLog } from "@/db/runtime/embedded";
import type { Service } from "./supervisor";

export interface EmbeddedDatabaseServiceOptions {
  dataDir: string;
  /** The port every process already connects to. */
  port: number;
  log: RuntimeLog;
  pollMs?: number;
}

export function embeddedDatabaseService(options: EmbeddedDatabaseServiceOptions): Service {
  const pollMs = options.pollMs ?? 1_000;
  return {
    name: "embedded PostgreSQL",
    essential: true,
    async start() {
      // Already running on the first call (npm start needed it to begin); started again after a death.
      const pid = await restartEmbeddedPostgres(options.dataDir, options.port, options.log);
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise<string>((resolve) => {
        timer = setInterval(() => {
          if (isEmbeddedPostgresRunning(pid)) return;
          clearInterval(timer);
          resolve(`(process ${pid}) stopped`);
        }, pollMs);
      });
      // Stopping only stops watching: the process that holds the database's registration releases
      // it once everything else has stopped (scripts/start.ts), which stops the server when last.
      return { exited, stop: async () => clearInterval(timer) };
    },
  };
}
