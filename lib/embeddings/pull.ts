/**
 * Fetches a model listed in the manifest (source `hf:org/repo[@revision]`)
 * from the hub or from MODELS_MIRROR (a folder, or an http URL laid out like
 * the hub: `<base>/<org>/<repo>/resolve/<revision>/<file>`).
 *
 * Every file is streamed into a temporary folder beside the models, hashed on
 * the way, and checked against the manifest's sha256 and size. Only when all
 * files verify are they renamed into place; on any failure the temporary
 * folder is removed, so a half-downloaded model never appears.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";

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

interface OpenedSource {
  /** Bytes announced by the source (file size, Content-Length), 0 when unknown. */
  length: number;
  chunks: AsyncIterable<Uint8Array>;
}

async function openSource(location: string, doFetch: typeof fetch): Promise<OpenedSource> {
  if (!/^https?:\/\//.test(location)) {
    const stat = await fs.stat(location);
    return { length: stat.size, chunks: createReadStream(location) as AsyncIterable<Buffer> };
  }
  const res = await doFetch(location, { redirect: "follow" });
  if (!res.ok || !res.body) throw new Error(`${location} answered ${res.status} ${res.statusText}`.trim());
  return { length: Number(res.headers.get("content-length") ?? 0), chunks: res.body as unknown as AsyncIterable<Uint8Array> };
}

async function download(location: string, file: PlannedFile, target: string, options: PullOptions): Promise<PulledFile> {
  const hash = createHash("sha256");
  let received = 0;
  let total = file.size;
  const handle = await fs.open(target, "w");
  try {
    const source = await openSource(location, options.fetch ?? fetch);
    total ||= source.length;
    for await (const chunk of source.chunks) {
      hash.update(chunk);
      received += chunk.length;
      await handle.write(chunk);
      options.onProgress?.({ file: file.dest, received, total });
    }
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`Download of ${file.dest} from ${location} failed after ${received}${total ? ` of ${total}` : ""} bytes: ${cause}`);
  } finally {
    await handle.close();
  }
  options.onProgress?.({ file: file.dest, received, total, done: true });
  const sha256 = hash.digest("hex");
  if (file.size > 0 && received !== file.size) {
    throw new Error(`${file.dest}: got ${received} bytes from ${location}; the manifest records ${file.size}`);
  }
  if (file.sha256 !== UNKNOWN && sha256 !== file.sha256) {
    throw new Error(`${file.dest}: sha256 ${sha256} does not match the manifest's ${file.sha256}; the model was not installed`);
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

/** Download, verify, then install every file of `entry`; nothing is installed unless all verify. */
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
  const staging = path.join(options.modelsDir, `.pull-${entry.id}-${randomUUID()}`);
  try {
    const pulled: PulledFile[] = [];
    for (const file of plan.files) {
      const target = path.join(staging, file.dest);
      await fs.mkdir(path.dirname(target), { recursive: true });
      pulled.push(await download(hubFileLocation(base, plan, file.remote), file, target, options));
    }
    await install(staging, options.modelsDir, plan.files.map((f) => f.dest));
    return pulled;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
