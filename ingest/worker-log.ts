/** What the ingest worker's parts log through (pino's shape, so tests can hand in a plain object). */
export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
