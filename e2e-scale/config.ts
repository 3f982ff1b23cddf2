/**
 * The scale-out suite's deployment: two `npm start`s (each a web server and an ingest worker) on two
 * ports, one PostgreSQL database (external with VOUCH_TEST_DATABASE_URL, as CI gives, else a throwaway
 * embedded server), one LanceDB folder and one originals folder, the same AUTH_SECRET and AUDIT_KEY.
 */
import os from "node:os";
import path from "node:path";

const dir = path.join(os.tmpdir(), "vouch-scale");

export const SCALE = {
  dir,
  ports: { a: 3251, b: 3253 },
  url: (server: "a" | "b") => `http://localhost:${SCALE.ports[server]}`,
  stateFile: path.join(dir, "state.json"),
  admin: { email: "admin@scale.test", password: "scale-admin-password" },
  reviewer: { email: "reviewer@scale.test", password: "scale-reviewer-password" },
  agent: { email: "agent@scale.test", password: "scale-agent-password-1" },
  env(server: "a" | "b", databaseUrl: string): Record<string, string> {
    return {
      PORT: String(SCALE.ports[server]),
      DATA_DIR: path.join(dir, server),
      DATABASE_URL: databaseUrl,
      LANCEDB_URI: path.join(dir, "shared", "lancedb"),
      FILES_DIR: path.join(dir, "shared", "files"),
      AUTH_SECRET: "scale-suite-auth-secret-shared-by-both-servers",
      AUDIT_KEY: "scale-suite-audit-key-shared-by-both-servers",
      APP_URL: SCALE.url(server),
      ADMIN_EMAIL: SCALE.admin.email,
      ADMIN_PASSWORD: SCALE.admin.password,
      DEMO_MODE: "off",
      // No writing model: answers are quoted, and nothing local starts for generation.
      ANSWER_MODE: "quote",
      LLM_BASE_URL: "http://127.0.0.1:9/v1",
      LOG_LEVEL: "warn",
    };
  },
};

/** What the setup leaves for the tests: the database and each server's supervisor process. */
export interface ScaleState {
  databaseUrl: string;
  pids: { a: number; b: number };
}
