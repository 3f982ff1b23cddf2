/** Structured JSON logs. Secrets never reach a log: known secret fields are redacted. */
import pino, { type Logger } from "pino";
import { getEnv } from "@/lib/env";

export const redactPaths = [
  "password",
  "*.password",
  "newPassword",
  "passwordHash",
  "*.passwordHash",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "headers.cookie",
  "req.headers.cookie",
  "req.headers.authorization",
  "databaseUrl",
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const level = options.level ?? getEnv().LOG_LEVEL;
  return pino(
    { level, base: { app: "vouch" }, redact: { paths: redactPaths, censor: "[redacted]" }, timestamp: pino.stdTimeFunctions.isoTime },
    options.destination,
  );
}

let root: Logger | undefined;

/** The process-wide logger (created on first use). */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}

/** A child logger for one request, carrying its id. */
export function requestLogger(requestId: string): Logger {
  return logger().child({ requestId });
}
