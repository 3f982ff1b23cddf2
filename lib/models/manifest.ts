/**
 * Loads and validates models/manifest.json. A malformed manifest stops the
 * start, so every error names the file, line, column and field at fault.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { getEnv, type Env } from "@/lib/env";
import { formatJsonPath, JsonSyntaxError, mapJsonPositions, type JsonPositionMap } from "./json-positions";
import { manifestSchema, type Manifest } from "./manifest-schema";

export * from "./manifest-schema";

/** One problem in a manifest, located in the file. */
export interface ManifestIssue {
  line: number;
  column: number;
  /** Path of the field at fault, e.g. `models[1].files[0].sha256`. */
  field: string;
  message: string;
  /** Id of the model entry the field belongs to, when it has one. */
  modelId?: string;
}

/** A manifest that cannot be used; `message` lists every issue as `file:line:column: field: message`. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ManifestIssue[],
  ) {
    const lines = issues.map(
      (i) => `${file}:${i.line}:${i.column}: ${i.field}${i.modelId ? ` (model "${i.modelId}")` : ""}: ${i.message}`,
    );
    super(`Invalid model manifest ${file}:\n  ${lines.join("\n  ")}`);
    this.name = "ManifestError";
  }
}

/** MODELS_MANIFEST, else `<MODELS_DIR>/manifest.json`, from the settings. */
export function defaultManifestPath(env: Pick<Env, "modelsDir"> & { manifestFile?: string } = getEnv()): string {
  return env.manifestFile ?? path.join(env.modelsDir, "manifest.json");
}

/** Read and validate a manifest file; throws ManifestError (or the file system's error when unreadable). */
export function loadManifest(file: string = defaultManifestPath()): Manifest {
  // turbopackIgnore: the manifest is read at run time; the build must not trace the whole project from here.
  const text = readFileSync(/*turbopackIgnore: true*/ file, "utf8");
  // Messages name the file as a person would type it from the project folder.
  const relative = path.relative(process.cwd(), file);
  return parseManifest(text, relative && !relative.startsWith("..") ? relative : path.resolve(/*turbopackIgnore: true*/ file));
}

/** Validate manifest JSON text; `fileName` is only used in messages. Throws ManifestError. */
export function parseManifest(jsonText: string, fileName: string): Manifest {
  const text = jsonText.replace(/^\uFEFF/, "");
  let positions: JsonPositionMap;
  try {
    positions = mapJsonPositions(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const message = err.message.replace(/ at line \d+, column \d+$/, "");
    throw new ManifestError(fileName, [{ line: err.line, column: err.column, field: "(syntax)", message: `invalid JSON: ${message}` }]);
  }
  const data: unknown = JSON.parse(text);

  const issues: ManifestIssue[] = positions.duplicateKeys.map((d) => ({
    ...d.position,
    field: formatJsonPath(d.path),
    message: "appears twice in the same object; keep one",
    modelId: modelIdAt(data, d.path),
  }));

  const result = manifestSchema.safeParse(data);
  if (!result.success) issues.push(...result.error.issues.flatMap((issue) => describeIssue(issue, data, positions)));
  if (issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ManifestError(fileName, issues);
  }
  return (result as { data: Manifest }).data;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, positions: JsonPositionMap): ManifestIssue[] {
  const base = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const modelId = modelIdAt(data, base);
  // An unknown key is reported at the key itself, one issue per key.
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const at = [...base, key];
      const { line, column } = positions.locate(at);
      return { line, column, field: formatJsonPath(at), message: "is not a known field (check the spelling)", modelId };
    });
  }
  const { line, column } = positions.locate(base);
  const missing = valueAt(data, base) === undefined;
  let message = issue.message;
  if (missing && issue.code === "invalid_type") message = `is required (expected ${issue.expected})`;
  else if (issue.code === "invalid_type") message = `must be ${article(issue.expected)}, found ${describeValue(valueAt(data, base))}`;
  else if (issue.code === "invalid_value")
    message = `must be ${issue.values.length === 1 ? "" : "one of "}${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  else if (issue.code === "too_small" && issue.origin === "array") message = `must have at least ${String(issue.minimum)} item(s)`;
  else if (issue.code === "too_small" && issue.origin === "number") message = `must be at least ${String(issue.minimum)}`;
  return [{ line, column, field: formatJsonPath(base), message, modelId }];
}

function valueAt(data: unknown, p: readonly (string | number)[]): unknown {
  let v = data;
  for (const segment of p) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[segment];
  }
  return v;
}

function modelIdAt(data: unknown, p: readonly (string | number)[]): string | undefined {
  if (p[0] !== "models" || typeof p[1] !== "number") return undefined;
  const id = valueAt(data, ["models", p[1], "id"]);
  return typeof id === "string" ? id : undefined;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}
