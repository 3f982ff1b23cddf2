/**
 * Fetches a model listed in the manifest (source `hf:org/repo[@revision]`)
 * from the hub or from MODELS_MIRROR (a folder, or an http URL laid out like
 * the hub: `<base>/<org>/<repo>/resolve/<revision>/<file>`).
 *
 * Every file is streamed into the model's staging folder beside the models
 * (`.pull-<id>`, the same for every attempt), hashed on the way, and checked
 * against the manifest's sha256 and size. Only when all files verify are they
 * renamed into place, so a half-downloaded model never appears. A pull that
 * fails, is cancelled or is killed keeps what it received: the next attempt
 * continues each file where it stopped (pull-source.ts) and hashes the staged
 * bytes first. A file that fails its hash is deleted, so it is fetched whole next time.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { openSource, readPrefix, type OpenedSource } from "./pull-source";

export const DEFAULT_HUB_URL = "https://huggingface.co";
const UNKNOWN = "unknown";

/** The parts of a manifest entry a pull needs (a ModelEntry fits). */
export interface PullableEntry {
  id: string;
  source: string;
  files: { path: string; sha256: string; size: number }[];
}

export interface PlannedFile {
  /** Destination relative to modelsDir, as in the manifest. */
  dest: string;
  /** Path inside the hub repository. */
  remote: string;
  sha256: string;
  size: number;
}

export interface PullPlan {
  modelId: string;
  repo: string;
  /** Pinned revision, or "main" when the manifest pins none (hashes still decide). */
  revision: string;
  pinned: boolean;
  files: PlannedFile[];
}

export interface PullProgress {
  file: string;
  received: number;
  /** Expected bytes (manifest size, else Content-Length), 0 when unknown. */
  total: number;
  done?: boolean;
}

export interface PullOptions {
  modelsDir: string;
  /** MODELS_MIRROR: a folder or an http(s) base URL; the hub when unset. */
  mirror?: string;
  hubUrl?: string;
  fetch?: typeof fetch;
  onProgress?: (p: PullProgress) => void;
  /** Fetch files whose sha256 is "unknown" in the manifest (and report their hashes) instead of refusing. */
  allowUnrecorded?: boolean;
  /** Stops the pull; the bytes received so far stay staged for the next attempt. */
  signal?: AbortSignal;
  /** "verifying" while staged bytes are hashed and before the files are installed; "downloading" while bytes arrive. */
  onStage?: (stage: "downloading" | "verifying") => void;
}

export interface PulledFile {
  path: string;
  sha256: string;
  size: number;
}

/** Where each file comes from and goes to; throws for sources other than hf: and for paths leaving modelsDir. */
export function planPull(entry: PullableEntry): PullPlan {
  const m = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w.-]+))?$/.exec(entry.source);
  if (!m?.[1]) {
    throw new Error(`Model "${entry.id}" comes from ${entry.source}, not a hub repository (hf:org/repo@revision); it cannot be pulled`);
  }
  const repo = m[1];
  const files = entry.files.map((f) => {
    const dest = path.posix.normalize(f.path);
    if (dest.startsWith("../") || path.posix.isAbsolute(dest)) {
      throw new Error(`Model "${entry.id}": file ${f.path} lies outside the models folder; it cannot be pulled`);
    }
    // Files are stored as <org>/<repo>/<file> so transformers.js finds them under the repo's name.
    const remote = dest.startsWith(`${repo}/`) ? dest.slice(repo.length + 1) : dest;
    return { dest, remote, sha256: f.sha256, size: f.size };
  });
  return { modelId: entry.id, repo, revision: m[2] ?? "main", pinned: m[2] !== undefined, files };
}

/** URL or path of one file at a hub-like base. */
export function hubFileLocation(base: string, plan: PullPlan, remote: string): string {
  const rel = [...plan.repo.split("/"), "resolve", plan.revision, ...remote.split("/")];
  if (/^https?:\/\//.test(base)) return `${base.replace(/\/+$/, "")}/${rel.map(encodeURIComponent).join("/")}`;
  return path.join(base, ...rel);
}

const META = ".pull.json";
const stagingMetaSchema = z.strictObject({ key: z.string(), validators: z.record(z.string(), z.string()) });
type StagingMeta = z.infer<typeof stagingMetaSchema>;

interface Staging {
  dir: string;
  meta: StagingMeta;
  /** Keeps (or, with undefined, drops) the ETag or date a file's staged bytes were sent with. */
  remember(dest: string, validator: string | undefined): Promise<void>;
}

/** Where a model's pull stages its files: the same folder for every attempt, so the next one continues. */
export const stagingFolder = (modelsDir: string, modelId: string) => path.join(modelsDir, `.pull-${modelId}`);

/** What staged bytes belong to; bytes of another revision or file list must not be continued. */
const stagingKey = (plan: PullPlan) => `${plan.repo}@${plan.revision} ${plan.files.map((f) => f.dest).join(" ")}`;

async function readStagingMeta(dir: string): Promise<StagingMeta | undefined> {
  try {
    return stagingMetaSchema.parse(JSON.parse(await fs.readFile(path.join(dir, META), "utf8")));
  } catch {
    return undefined;
  }
}

/** Bytes an earlier attempt staged for `entry` (0 when none, or when they belong to another revision). */
export async function stagedBytes(modelsDir: string, entry: PullableEntry): Promise<number> {
  const plan = planPull(entry);
  const dir = stagingFolder(modelsDir, entry.id);
  if ((await readStagingMeta(dir))?.key !== stagingKey(plan)) return 0;
  const sizes = await Promise.all(plan.files.map((f) => fs.stat(path.join(dir, f.dest)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

async function openStaging(dir: string, key: string): Promise<Staging> {
  const previous = await readStagingMeta(dir);
  // Partial files of another revision would splice two versions of a file together.
  if (previous?.key !== key) await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const meta: StagingMeta = previous?.key === key ? previous : { key, validators: {} };
  const save = () => fs.writeFile(path.join(dir, META), JSON.stringify(meta));
  await save();
  return {
    dir,
    meta,
    async remember(dest, validator) {
      meta.validators = Object.fromEntries(Object.entries({ ...meta.validators, [dest]: validator }).filter((e): e is [string, string] => e[1] !== undefined));
      await save();
    },
  };
}

async function download(location: string, file: PlannedFile, staging: Staging, options: PullOptions): Promise<PulledFile> {
  const target = path.join(staging.dir, file.dest);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const hash = createHash("sha256");
  let staged = await fs.stat(target).then((s) => s.size, () => 0);
  // More bytes than the manifest records cannot be the start of the file.
  if (file.size > 0 && staged > file.size) staged = 0;
  let received = 0;
  let total = file.size;
  try {
    const remembered = staging.meta.validators[file.dest];
    const source: OpenedSource =
      file.size > 0 && staged === file.size
        ? { start: staged, length: staged, validator: remembered, chunks: null }
        : await openSource(location, staged, remembered, options);
    if (source.validator !== remembered) await staging.remember(file.dest, source.validator);
    total ||= source.length;
    if (source.start > 0) {
      options.onStage?.("verifying");
      await readPrefix(target, source.start, (chunk) => hash.update(chunk), options.signal);
    }
    received = source.start;
    options.onStage?.("downloading");
    options.onProgress?.({ file: file.dest, received, total });
    if (source.chunks) {
      const handle = await fs.open(target, received > 0 ? "a" : "w");
      try {
        for await (const chunk of source.chunks) {
          options.signal?.throwIfAborted();
          hash.update(chunk);
          await handle.write(chunk);
          received += chunk.length;
          options.onProgress?.({ file: file.dest, received, total });
        }
      } finally {
        await handle.close();
      }
    }
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`Download of ${file.dest} from ${location} failed after ${received}${total ? ` of ${total}` : ""} bytes: ${cause}`);
  }
  options.onProgress?.({ file: file.dest, received, total, done: true });
  const sha256 = hash.digest("hex");
  // Without a recorded size, the length the server announced is the only check that nothing was cut off.
  const expected = file.size || total;
  const wrongSize =
    expected > 0 && received !== expected
      ? `${file.dest}: got ${received} bytes from ${location}; ${file.size ? "the manifest records" : "the server announced"} ${expected}`
      : undefined;
  // Too few bytes are continued by the next attempt; a wrong file is deleted, to be fetched whole.
  if (wrongSize && received < expected) throw new Error(wrongSize);
  const problem = wrongSize ?? (file.sha256 !== UNKNOWN && sha256 !== file.sha256 ? `${file.dest}: sha256 ${sha256} does not match the manifest's ${file.sha256}; the model was not installed` : undefined);
  if (problem) {
    await fs.rm(target, { force: true });
    await staging.remember(file.dest, undefined);
    throw new Error(problem);
  }
  return { path: file.dest, sha256, size: received };
}

/** Longest folder shared by all destinations ("" when they share none). */
function commonFolder(dests: string[]): string {
  const parts = dests.map((d) => d.split("/").slice(0, -1));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join("/");
}

/** Move verified files from the staging folder into modelsDir; a shared model folder is swapped whole. */
async function install(staging: string, modelsDir: string, dests: string[]): Promise<void> {
  const root = commonFolder(dests);
  const moves = root ? [root] : dests;
  for (const rel of moves) {
    const final = path.join(modelsDir, rel);
    await fs.mkdir(path.dirname(final), { recursive: true });
    const old = `${final}.old-${randomUUID()}`;
    const hadOld = await fs.rename(final, old).then(() => true, () => false);
    try {
      await fs.rename(path.join(staging, rel), final);
    } catch (err) {
      if (hadOld) await fs.rename(old, final);
      throw err;
    }
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  }
}

/** Download (or continue), verify, then install every file of `entry`; nothing is installed unless all verify. */
export async function pullModel(entry: PullableEntry, options: PullOptions): Promise<PulledFile[]> {
  const plan = planPull(entry);
  const unrecorded = plan.files.filter((f) => f.sha256 === UNKNOWN);
  if (unrecorded.length > 0 && !options.allowUnrecorded) {
    throw new Error(
      `Model "${entry.id}" has no recorded sha256 for ${unrecorded.map((f) => f.dest).join(", ")}; ` +
        "refusing to install unverifiable files (pass --allow-unrecorded to fetch them and print their hashes for the manifest)",
    );
  }
  const base = options.mirror ?? options.hubUrl ?? DEFAULT_HUB_URL;
  await fs.mkdir(options.modelsDir, { recursive: true });
  const staging = await openStaging(stagingFolder(options.modelsDir, entry.id), stagingKey(plan));
  const pulled: PulledFile[] = [];
  for (const file of plan.files) {
    options.signal?.throwIfAborted();
    pulled.push(await download(hubFileLocation(base, plan, file.remote), file, staging, options));
  }
  options.onStage?.("verifying");
  await install(staging.dir, options.modelsDir, plan.files.map((f) => f.dest));
  await fs.rm(staging.dir, { recursive: true, force: true });
  return pulled;
}
