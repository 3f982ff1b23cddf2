/**
 * Pulls of catalogue models started from Admin › Models: one at a time per model, run in the
 * background of the web server, with their progress held in memory for the page to poll.
 * Partial files stay in the model's staging folder (lib/embeddings/pull.ts), so a pull started
 * again after a failure, a cancel or a server restart continues where it stopped. Files whose
 * manifest sha256 is "unknown" are installed with their hashes recorded for an admin's
 * approval (recorded-hashes.ts); the entry still says "unknown", so the model cannot run yet.
 * Dependencies come in through PullJobDeps so tests can hand in small ones.
 */
import type { Actor } from "@/db/queries/users";
import { planPull, pullModel, type PulledFile, type PullProgress } from "@/lib/embeddings/pull";
import { AppError } from "@/lib/errors";
import { UNKNOWN_SHA256, type ModelEntry } from "./manifest-schema";
import { saveRecordedHashes, type RecordedHashes } from "./recorded-hashes";

export type PullState = "running" | "verifying" | "done" | "failed" | "cancelled" | "awaiting-approval";

export interface PullJobView {
  modelId: string;
  state: PullState;
  /** Why the pull failed. */
  reason?: string;
  files: { path: string; received: number; total: number }[];
  received: number;
  /** Bytes of all files; 0 while the size of one is not known yet. */
  total: number;
  /** Bytes per second, smoothed; 0 before the first measurement. */
  rate: number;
  /** null while the total or the rate is not known. */
  secondsLeft: number | null;
  startedAt: string;
  finishedAt?: string;
  /** The hashes this pull recorded for files the manifest has none for, waiting for approval. */
  recorded?: RecordedHashes;
}

export interface PullAuditEvent {
  action: "model.pull.start" | "model.pull.finish" | "model.pull.fail" | "model.pull.cancel";
  target: string;
  details: Record<string, unknown>;
}

export interface PullJobDeps {
  modelsDir: string;
  /** MODELS_MIRROR: a folder or an http(s) base URL; the hub when unset. */
  mirror?: string;
  hubUrl?: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Where recorded hashes wait for approval (recordedHashesFile(dataDir)). */
  recordedFile: string;
  /** Writes an audit event; a failure is logged and the pull goes on. */
  audit: (actor: Actor, event: PullAuditEvent) => Promise<void>;
  /** Called after files were installed, e.g. to have the gate verify them. */
  installed?: (modelId: string) => Promise<void>;
  log?: { error(msg: string): void };
}

export interface PullJobs {
  /** Start pulling `entry`, continuing from what an earlier attempt staged; a pull of it still running is a 409. */
  start(entry: ModelEntry, actor: Actor): PullJobView;
  /** Stop a running pull, keeping what it received; false when none runs. */
  cancel(modelId: string): boolean;
  list(): PullJobView[];
  /** Resolves when the model's latest pull has ended (and its audit events are written). */
  settled(modelId: string): Promise<void>;
}

/** Time constant of the rate's smoothing, and the shortest interval it is measured over. */
const RATE_TAU_MS = 3000;
const RATE_MIN_MS = 250;

interface Job {
  view: PullJobView;
  controller: AbortController;
  finished: Promise<void>;
  /** Last `received` seen per file; the first report of a file is what was already staged. */
  seen: Map<string, number>;
  /** Bytes received by this attempt, and when the rate was last measured. */
  fresh: number;
  sample: { at: number; fresh: number };
}

/** Bytes of all files, or 0 while the size of one is not known. */
const totalOf = (files: PullJobView["files"]) => (files.every((f) => f.total > 0) ? files.reduce((n, f) => n + f.total, 0) : 0);
const active = (state: PullState) => state === "running" || state === "verifying";

function plannedFiles(entry: ModelEntry): PullJobView["files"] {
  try {
    return planPull(entry).files.map((f) => ({ path: f.dest, received: 0, total: f.size }));
  } catch (err) {
    throw new AppError("bad_request:models", (err as Error).message);
  }
}

export function createPullJobs(deps: PullJobDeps): PullJobs {
  const now = deps.now ?? Date.now;
  const jobs = new Map<string, Job>();
  const iso = () => new Date(now()).toISOString();

  function progress(job: Job, p: PullProgress) {
    const file = job.view.files.find((f) => f.path === p.file);
    if (!file) return;
    const before = job.seen.get(p.file);
    if (before !== undefined && p.received > before) job.fresh += p.received - before;
    job.seen.set(p.file, p.received);
    file.received = p.received;
    if (p.total > 0) file.total = p.total;
    const view = job.view;
    view.received = view.files.reduce((n, f) => n + f.received, 0);
    view.total = totalOf(view.files);
    const t = now();
    const dt = t - job.sample.at;
    if (dt >= RATE_MIN_MS) {
      const measured = ((job.fresh - job.sample.fresh) * 1000) / dt;
      // An exponential average over time: steady under bursty chunks, whatever the reporting interval.
      view.rate = view.rate === 0 ? measured : view.rate + (1 - Math.exp(-dt / RATE_TAU_MS)) * (measured - view.rate);
      job.sample = { at: t, fresh: job.fresh };
    }
    view.secondsLeft = view.total > 0 && view.rate > 0 ? Math.ceil(Math.max(0, view.total - view.received) / view.rate) : null;
  }

  async function run(job: Job, entry: ModelEntry, actor: Actor) {
    const { view } = job;
    let audits = record(actor, { action: "model.pull.start", target: entry.id, details: { source: entry.source, mirror: deps.mirror ?? null } });
    try {
      const pulled = await pullModel(entry, {
        modelsDir: deps.modelsDir,
        mirror: deps.mirror,
        hubUrl: deps.hubUrl,
        fetch: deps.fetch,
        allowUnrecorded: true,
        signal: job.controller.signal,
        onProgress: (p) => progress(job, p),
        onStage: (stage) => {
          view.state = stage === "verifying" ? "verifying" : "running";
          // The rate counts time spent receiving, not time spent hashing staged bytes.
          if (stage === "downloading") job.sample = { at: now(), fresh: job.fresh };
        },
      });
      view.recorded = recordHashes(entry, pulled);
      view.state = view.recorded ? "awaiting-approval" : "done";
      view.finishedAt = iso();
      const files = pulled.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size }));
      audits = audits.then(() => record(actor, { action: "model.pull.finish", target: entry.id, details: { files, awaitingHashApproval: view.recorded !== undefined } }));
      await deps.installed?.(entry.id).catch((err: unknown) => deps.log?.error(`models: ${entry.id} was installed, but the gate did not re-read it: ${(err as Error).message}`));
    } catch (err) {
      const cancelled = job.controller.signal.aborted;
      view.state = cancelled ? "cancelled" : "failed";
      if (!cancelled) view.reason = (err as Error).message;
      view.finishedAt = iso();
      const details = { received: view.received, ...(cancelled ? {} : { reason: view.reason }) };
      audits = audits.then(() => record(actor, { action: cancelled ? "model.pull.cancel" : "model.pull.fail", target: entry.id, details }));
    }
    view.rate = 0;
    view.secondsLeft = null;
    await audits;
  }

  /** Hashes of the files the manifest leaves "unknown", saved for approval; undefined when every file was pinned. */
  function recordHashes(entry: ModelEntry, pulled: PulledFile[]): RecordedHashes | undefined {
    // pullModel returns the files in the manifest's order.
    const files = entry.files.flatMap((f, i) => (f.sha256 === UNKNOWN_SHA256 && pulled[i] ? [{ path: f.path, sha256: pulled[i].sha256, size: pulled[i].size }] : []));
    if (files.length === 0) return undefined;
    const recorded = { source: entry.source, recordedAt: iso(), files };
    saveRecordedHashes(deps.recordedFile, entry.id, recorded);
    return recorded;
  }

  function record(actor: Actor, event: PullAuditEvent): Promise<void> {
    return deps.audit(actor, event).catch((err: unknown) => deps.log?.error(`models: could not record ${event.action} of ${event.target} in the audit log: ${(err as Error).message}`));
  }

  return {
    start(entry, actor) {
      const running = jobs.get(entry.id);
      if (running && active(running.view.state)) throw new AppError("conflict:models", `"${entry.id}" is already being downloaded.`);
      const files = plannedFiles(entry);
      const view: PullJobView = { modelId: entry.id, state: "running", files, received: 0, total: totalOf(files), rate: 0, secondsLeft: null, startedAt: iso() };
      const job: Job = { view, controller: new AbortController(), finished: Promise.resolve(), seen: new Map(), fresh: 0, sample: { at: now(), fresh: 0 } };
      job.finished = run(job, entry, actor);
      jobs.set(entry.id, job);
      return structuredClone(view);
    },
    cancel(modelId) {
      const job = jobs.get(modelId);
      if (!job || !active(job.view.state)) return false;
      job.controller.abort();
      return true;
    },
    list: () => [...jobs.values()].map((j) => structuredClone(j.view)),
    settled: (modelId) => jobs.get(modelId)?.finished ?? Promise.resolve(),
  };
}
