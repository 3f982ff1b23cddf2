/**
 * Switching the embedding model from Admin › Models: every knowledge base is embedded
 * again with the new model into its own table, in the background, while searches keep
 * using the old one; only when the new table is complete does the data folder's choice
 * change (and with it every web server and worker sharing that folder). One switch at a
 * time per process; starting again after a cancel, a failure or a restart resumes.
 */
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import { listDocumentsForReconcile } from "@/db/queries/documents";
import type { Actor } from "@/db/queries/users";
import { saveActiveEmbedding } from "@/lib/embeddings/active";
import type { Engines } from "@/lib/engines/open";
import type { Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { reembedAll, type ReembedProgress } from "@/lib/kb/reembed";
import { choiceFor, embeddingCandidates, settingsFor } from "./embedding-choice";
import type { ModelGate } from "./model-gate";

export interface EmbeddingSwitch {
  modelId: string;
  /** Embedder ids, as the tables are named after them. */
  from: string;
  to: string;
  state: "running" | "done" | "failed" | "cancelled";
  progress: ReembedProgress;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  startedBy: string;
}

export interface SwitcherDeps {
  db: Database;
  gate: ModelGate;
  env: Env;
  /** The engines serving searches now: the old table is read from them. */
  current: () => Promise<Engines>;
  /** Opens the new model and its table. */
  open: (settings: Env) => Promise<Engines>;
  /** Once the new table is complete, before it is activated: throws to refuse the model (the evaluation gates). */
  beforeActivate?: (input: { actor: Actor; modelId: string; active: Engines; candidate: Engines }) => Promise<void>;
}

export interface EmbeddingSwitcher {
  status(): EmbeddingSwitch | undefined;
  /** Starts the switch to `modelId`; throws AppError when the model may not embed or a switch is running. */
  start(actor: Actor, modelId: string): Promise<EmbeddingSwitch>;
  cancel(actor: Actor): void;
  /** Resolves when the background work of the current switch has ended (for tests). */
  settled(): Promise<void>;
}

export function createEmbeddingSwitcher(deps: SwitcherDeps): EmbeddingSwitcher {
  let current: EmbeddingSwitch | undefined;
  let abort: AbortController | undefined;
  let cancelledBy: Actor | undefined;
  let work: Promise<void> = Promise.resolve();
  const audit = (actor: Actor, action: string, target: string, details: Record<string, unknown>) =>
    recordAuditEvent(deps.db, { actorId: actor.id, actorEmail: actor.email, action, target, details });

  async function run(actor: Actor, job: EmbeddingSwitch, signal: AbortSignal) {
    const entry = deps.gate.status().manifest!.models.find((m) => m.id === job.modelId)!;
    let engines: Engines | undefined;
    try {
      engines = await deps.open(settingsFor(deps.env, entry));
      job.to = engines.embedder.id;
      const documents = async () => (await listDocumentsForReconcile(deps.db)).filter((d) => d.status === "ready" && (d.chunkCount ?? 0) > 0);
      const from = (await deps.current()).store;
      await reembedAll({ documents, from, to: engines.store, embedder: engines.embedder, signal, onProgress: (p) => (job.progress = p) });
      await deps.beforeActivate?.({ actor, modelId: entry.id, active: await deps.current(), candidate: engines });
      saveActiveEmbedding(deps.env.dataDir, choiceFor(entry));
      Object.assign(job, { state: "done", finishedAt: new Date().toISOString() });
      await audit(actor, "model.activate", entry.id, { role: "embedding", from: job.from, to: job.to, ...job.progress });
    } catch (error) {
      const cancelled = signal.aborted;
      Object.assign(job, { state: cancelled ? "cancelled" : "failed", finishedAt: new Date().toISOString(), error: cancelled ? undefined : (error as Error).message });
      await audit(cancelled ? (cancelledBy ?? actor) : actor, cancelled ? "model.embedding.cancel" : "model.embedding.fail", entry.id, { error: job.error, ...job.progress }).catch(() => undefined);
    } finally {
      await engines?.close().catch(() => undefined);
    }
  }

  return {
    status: () => current && { ...current, progress: { ...current.progress } },
    async start(actor, modelId) {
      if (current?.state === "running") throw new AppError("conflict:models", `The knowledge bases are being embedded with ${current.modelId}; cancel that first.`);
      const candidate = embeddingCandidates(deps.gate, deps.env).find((c) => c.id === modelId);
      if (!candidate) throw new AppError("bad_request:models", `"${modelId}" is not an enabled embedding model in the manifest.`);
      if (candidate.refusal) throw new AppError("conflict:models", candidate.refusal);
      if (candidate.active) throw new AppError("bad_request:models", `${modelId} already embeds the knowledge bases.`);
      const from = (await deps.current()).embedder.id;
      const job: EmbeddingSwitch = { modelId, from, to: modelId, state: "running", progress: { documents: 0, total: 0, chunks: 0, missing: 0 }, startedAt: new Date().toISOString(), startedBy: actor.email ?? "system" };
      await audit(actor, "model.embedding.start", modelId, { from });
      current = job;
      cancelledBy = undefined;
      abort = new AbortController();
      work = run(actor, job, abort.signal);
      return { ...job };
    },
    cancel(actor) {
      if (current?.state !== "running") throw new AppError("bad_request:models", "No switch of the embedding model is running.");
      cancelledBy = actor;
      abort?.abort();
    },
    settled: () => work,
  };
}
