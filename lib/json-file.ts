/**
 * The small JSON files Vouch keeps in its data folder (choices and records an admin made in
 * the browser): read through a schema, written whole to a temporary file and renamed, so a
 * reader in another process never sees half a file.
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";

/** The file's value as `schema` parses it; undefined when the file does not exist. Throws on one that does not validate. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
  if (!fs.existsSync(file)) return undefined;
  return schema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** Writes `value` as indented JSON; `mode` 0o600 for a file that holds secrets. */
export function writeJsonFile(file: string, value: unknown, options: { mode?: number } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, options.mode === undefined ? {} : { mode: options.mode });
  fs.renameSync(tmp, file);
}
