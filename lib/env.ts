/**
 * The only reader of process.env. Every setting has a default that makes a
 * zero-configuration start work; scripts and the app call getEnv().
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : /^(1|true|yes|on)$/i.test(v)));

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: int(3000, 1).pipe(z.number().max(65535)),
  HOST: z.string().default("127.0.0.1"),
  /** Public URL of the app, used for sign-in callbacks; defaults to http://localhost:$PORT. */
  APP_URL: optionalString,
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: optionalString,
  /** Secret for signing sessions; generated once into $DATA_DIR/secret when unset. */
  AUTH_SECRET: optionalString,
  /** Keys the audit log's hash chain (default: DATA_DIR/audit.key, made on first start); the same on every machine. */
  AUDIT_KEY: optionalString,
  /** With DATABASE_URL: a role owning the tables, for migrations; DATABASE_URL's role is granted only what the app needs. */
  DATABASE_OWNER_URL: optionalString,
  /** Where audit checkpoints are appended (default DATA_DIR/audit/checkpoints.jsonl); append-only storage is best. */
  AUDIT_CHECKPOINTS: optionalString,
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  /** Seed demo users and the sample knowledge base when no admin is configured. */
  DEMO_MODE: z.enum(["auto", "on", "off"]).default("auto"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_MAX_AGE_HOURS: int(12, 1),

  // Generation (OpenAI-compatible server; local node-llama-cpp server when LLM_BASE_URL is unset)
  /** auto: an allowed instruct model writes answers, else they are quoted; generate: any allowed model writes; quote: never a model. */
  ANSWER_MODE: z.enum(["auto", "generate", "quote"]).default("auto"),
  LLM_BASE_URL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_PORT: int(8081, 1),
  LLM_MODEL_PATH: optionalString,
  LLM_THREADS: int(1, 1),
  LLM_CONTEXT_SIZE: int(2048, 128),
  LLM_PARALLEL: int(1, 1),
  LLM_QUEUE_MAX: int(16, 0),
  /** Answers each web server has written at once; more wait in line (default: LLM_PARALLEL for the local server, 16 for another). */
  GENERATION_SLOTS: z.coerce.number().int().min(1).optional(),
  /** A turn whose wait in that line would be longer than this many seconds quotes its sources instead. */
  GENERATION_MAX_WAIT_S: int(20, 0),
  LLM_FIRST_TOKEN_TIMEOUT_MS: int(30_000, 1),
  LLM_TOTAL_TIMEOUT_MS: int(180_000, 1),
  LLM_MAX_TOKENS: int(512, 1),

  // Embeddings
  EMBEDDER: z.string().default("wink-sif-100d"),
  EMBED_BATCH: int(64, 1),
  EMBEDDINGS_BASE_URL: optionalString,
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,

  // Models and the model policy
  MODELS_DIR: z.string().default("./models"),
  /** The model manifest; default <MODELS_DIR>/manifest.json. File paths in it are relative to its folder. */
  MODELS_MANIFEST: optionalString,
  MODELS_MIRROR: optionalString,
  MODEL_RECHECK_INTERVAL_S: int(300, 0),
  POLICY_USE: z.enum(["commercial", "internal", "research"]).default("commercial"),
  POLICY_ALLOWED_LICENSES: optionalString,
  POLICY_LOCALITY: z.enum(["on-premises", "any"]).default("on-premises"),

  // Knowledge bases and ingestion
  LANCEDB_URI: optionalString,
  /**
   * Threads in LanceDB's CPU pool. Lance reads this variable from its own process
   * environment, so it reaches Lance only through childProcessEnv: its default of
   * cores − 2 is 1 thread on a 2-core machine, where a full-text index build can deadlock.
   */
  LANCE_CPU_THREADS: int(4, 2),
  FILES_DIR: optionalString,
  MAX_UPLOAD_MB: int(50, 1),
  INGEST_CONCURRENCY: int(2, 1),
  /**
   * Threads that parse, chunk and embed for an ingest worker (0 = its own thread). Default: one per
   * CPU core but one, which the worker's own thread keeps busy with PostgreSQL and LanceDB (on 2 cores,
   * 1 thread ingested as fast as 2, with 11% less CPU and 160 MB less memory).
   */
  INGEST_PARSE_WORKERS: int(Math.max(1, os.availableParallelism() - 1), 0),

  // Review
  REVIEW_LOCK_MINUTES: int(15, 1),

  /** Set by the test runner; skips slow start-up work nobody is waiting for. */
  VOUCH_TEST: bool(false),
});

export type Env = z.infer<typeof envSchema> & {
  /** Absolute paths derived from the settings above. */
  dataDir: string;
  modelsDir: string;
  manifestFile: string;
  lancedbUri: string;
  filesDir: string;
  appUrl: string;
};

/** Parse a settings object (process.env by default); throws with every bad field named. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    ...e,
    dataDir,
    modelsDir: path.resolve(e.MODELS_DIR),
    manifestFile: path.resolve(/*turbopackIgnore: true*/ e.MODELS_MANIFEST ?? path.join(e.MODELS_DIR, "manifest.json")),
    lancedbUri: e.LANCEDB_URI ?? path.join(dataDir, "lancedb"),
    filesDir: e.FILES_DIR ? path.resolve(e.FILES_DIR) : path.join(dataDir, "files"),
    appUrl: e.APP_URL ?? `http://localhost:${e.PORT}`,
  };
}

let cached: Env | undefined;

/** The process's settings, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Forget the cached settings (tests that change process.env between cases). */
export function resetEnvForTests(): void {
  cached = undefined;
}

/**
 * The environment for a child process: this one's, the settings that native libraries read
 * from the environment themselves (LANCE_CPU_THREADS, with its default), and `extra`.
 */
export function childProcessEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LANCE_CPU_THREADS: String(getEnv().LANCE_CPU_THREADS), ...extra };
}

/**
 * Puts the settings native libraries read from the process environment (LANCE_CPU_THREADS)
 * into this process's environment, before any of them starts: LanceDB sizes its CPU pool
 * from the variable at its first operation (checked with 0.31.0: a value set here sizes
 * the pool as one the process started with). A value already there is left alone.
 */
export function applyNativeSettings(env: Pick<Env, "LANCE_CPU_THREADS">): void {
  process.env.LANCE_CPU_THREADS ??= String(env.LANCE_CPU_THREADS);
}
