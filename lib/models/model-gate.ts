/**
 * The model gate of one process: it holds the start-up check (manifest, file
 * hashes, policy, approvals), keeps it current (policy changes, approvals, a
 * periodic re-check of the files) and refuses a role whose model may not run.
 * There is no fallback: a refused role stays refused until the cause is fixed.
 * Dependencies come in through ModelGateDeps so tests can hand in small ones.
 */
import path from "node:path";
import { AppError } from "@/lib/errors";
import type { StoredApproval } from "@/lib/models/approval";
import { decideModels, previewPolicyChange, type ModelCheckResult } from "@/lib/models/check";
import { ManifestError, type Manifest, type ModelEntry, type ModelRole } from "@/lib/models/manifest";
import type { Decision, Policy, RoleStatus } from "@/lib/models/policy";
import { createHashCache, verifyModelFiles, type FileCheck } from "@/lib/models/verify";
import { decideServed, isLocalModel } from "@/lib/models/served";
import { createModelWatcher, type ModelFilesChange, type ModelWatcher } from "@/lib/models/watcher";

/** The policy and approvals as stored (Postgres in the app). */
export interface GovernanceState {
  policy: Policy;
  policyVersion: number;
  approvals: StoredApproval[];
}

/** What the gate tells the audit log when files change on disk. */
export interface FilesChangedEvent {
  change: ModelFilesChange;
  /** Decisions after the change, for the models whose files changed. */
  decisions: Decision[];
}

export interface ModelGateDeps {
  manifestFile: string;
  /** Reads and validates the manifest; throws ManifestError when it is malformed. */
  loadManifest: (file: string) => Manifest;
  /** The current policy and approvals; read at start and on every refresh(). */
  loadState: () => Promise<GovernanceState>;
  /** Records the change (audit event); a failure is logged, the refusal stands. */
  onFilesChanged: (event: FilesChangedEvent) => Promise<void>;
  /** Milliseconds between file re-checks; 0 turns the periodic re-check off. */
  recheckIntervalMs: number;
  /** Verifies the files; defaults to verifyModelFiles with a hash cache shared across re-checks. */
  verify?: (manifest: Manifest, manifestDir: string) => Promise<FileCheck[]>;
  log?: { info(msg: string): void; warn(msg: string): void; error(msg: string): void };
}

/** A snapshot for health, the admin page and the BOM. */
export interface ModelGateStatus {
  manifestFile: string;
  /** Set when the manifest could not be loaded; every role is then refused. */
  manifestError?: string;
  /** The manifest as written in the file (null when it could not be loaded). */
  manifest: Manifest | null;
  /** The manifest with stored approvals applied (what decisions are based on). */
  approvedManifest: Manifest | null;
  policy: Policy;
  policyVersion: number;
  approvals: StoredApproval[];
  checks: FileCheck[];
  decisions: Decision[];
  roles: RoleStatus[];
  /** When files were last verified / decisions last made (ISO 8601). */
  verifiedAt: string;
  decidedAt: string;
}

export interface ModelGate {
  status(): ModelGateStatus;
  /**
   * The enabled local (ONNX, GGUF) models of `role`, all allowed; otherwise throws AppError
   * "unavailable:models" naming model, clause and fix. Models of format "remote" are
   * checked by assertServedModelAllowed when the deployment uses another server.
   */
  assertRoleAllowed(role: ModelRole): ModelEntry[];
  /**
   * The enabled, allowed entry of format "remote" for the model another server serves as
   * `servedName` (`where` names the server in messages); otherwise throws "unavailable:models".
   */
  assertServedModelAllowed(role: ModelRole, servedName: string, where: string): ModelEntry;
  /** The manifest entry `modelId` if it is enabled and allowed; otherwise throws AppError "unavailable:models". */
  assertModelAllowed(modelId: string): ModelEntry;
  /** Enabled models that run now but would be refused under `proposed`. */
  preview(proposed: Policy): Decision[];
  /** Re-read policy and approvals, re-verify the files, and decide again (after a policy change or an approval). */
  refresh(): Promise<ModelGateStatus>;
  /** Verify the files now (as the periodic re-check does) and decide again. */
  recheckFiles(): Promise<ModelGateStatus>;
  /**
   * Read the manifest again (after an admin added a model in the browser) and decide again;
   * a manifest that no longer loads keeps the one in use and throws.
   */
  reloadManifest(): Promise<ModelGateStatus>;
  /** Stop the periodic re-check. */
  stop(): void;
}

const MANIFEST_FIX = "Fix: correct models/manifest.json (the message names the line and field) and restart Vouch.";

/** Load the manifest, verify files, decide, and start the periodic re-check. */
export async function createModelGate(deps: ModelGateDeps): Promise<ModelGate> {
  const manifestDir = path.dirname(deps.manifestFile);
  const cache = createHashCache();
  const verify = deps.verify ?? ((m: Manifest, dir: string) => verifyModelFiles(m, dir, { cache }));
  const log = deps.log ?? { info() {}, warn() {}, error() {} };

  let manifest: Manifest | null = null;
  let manifestError: string | undefined;
  try {
    manifest = deps.loadManifest(deps.manifestFile);
  } catch (err) {
    // The web server reports a bad manifest as a refusal of every role; `npm start` stops before this.
    if (!(err instanceof ManifestError) && (err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    manifestError = err instanceof ManifestError ? err.message : `The model manifest ${deps.manifestFile} does not exist.`;
  }

  let state = await deps.loadState();
  let checks = manifest ? await verify(manifest, manifestDir) : [];
  let verifiedAt = new Date().toISOString();
  let result = decide();

  function decide(): ModelCheckResult & { decidedAt: string } {
    const empty: Manifest = { version: 1, models: [] };
    return { ...decideModels(manifest ?? empty, state.policy, checks, state.approvals), decidedAt: new Date().toISOString() };
  }

  function logRefusals() {
    for (const role of result.roles) {
      if (role.allowed) log.info(`models: role ${role.role} allowed (${role.modelIds.join(", ")})`);
      else for (const r of role.refusals) log.warn(`models: ${r.message ?? `${r.modelId} refused`}`);
    }
    if (manifestError) log.error(manifestError);
  }
  logRefusals();

  let watcher: ModelWatcher | undefined;
  if (manifest) {
    const watched = manifest;
    watcher = createModelWatcher({
      intervalMs: deps.recheckIntervalMs,
      initial: checks,
      verify: async () => {
        const current = await verify(watched, manifestDir);
        verifiedAt = new Date().toISOString();
        return current;
      },
      onChange: async (change) => {
        checks = change.current;
        result = decide();
        const ids = new Set([...change.changed, ...change.removed].map((c) => c.modelId));
        const decisions = result.decisions.filter((d) => ids.has(d.modelId));
        for (const d of decisions) {
          if (d.allowed) log.info(`models: files of ${d.modelId} changed on disk and match the manifest again`);
          else log.warn(`models: files of ${d.modelId} changed on disk; ${d.message ?? "refused"}`);
        }
        try {
          await deps.onFilesChanged({ change, decisions });
        } catch (err) {
          log.error(`models: could not record the file change in the audit log: ${(err as Error).message}`);
        }
      },
      onError: (err) => log.error(`models: periodic re-check failed: ${(err as Error).message}`),
    });
    watcher.start();
  }

  const status = (): ModelGateStatus => ({
    manifestFile: deps.manifestFile,
    manifestError,
    manifest,
    approvedManifest: manifest ? result.manifest : null,
    policy: state.policy,
    policyVersion: state.policyVersion,
    approvals: state.approvals,
    checks,
    decisions: result.decisions,
    roles: result.roles,
    verifiedAt,
    decidedAt: result.decidedAt,
  });

  const unavailable = (message: string) => new AppError("unavailable:models", message);

  return {
    status,
    assertRoleAllowed(role) {
      if (manifestError) throw unavailable(`The ${role} role is refused: the model manifest is invalid. ${manifestError} ${MANIFEST_FIX}`);
      const local = new Set(result.manifest.models.filter(isLocalModel).map((m) => m.id));
      const decisions = result.decisions.filter((d) => d.role === role && d.enabled && local.has(d.modelId));
      if (decisions.length === 0) {
        throw unavailable(
          `The ${role} role is refused: no ${role} model is enabled in the model manifest. Fix: enable a ${role} model in models/manifest.json, record its files' sha256 and size, and approve it in Admin › Models.`,
        );
      }
      const refusals = decisions.filter((d) => !d.allowed);
      if (refusals.length > 0) throw unavailable(refusals.map((d) => d.message ?? `Model "${d.modelId}" is refused.`).join(" "));
      return result.manifest.models.filter((m) => decisions.some((d) => d.modelId === m.id));
    },
    assertServedModelAllowed(role, servedName, where) {
      const who = `The ${role} model "${servedName}" served by ${where}`;
      if (manifestError) throw unavailable(`${who} is refused: the model manifest is invalid. ${manifestError} ${MANIFEST_FIX}`);
      const served = decideServed(result.manifest, result.decisions, { role, name: servedName, where });
      if (!served.allowed || !served.model) throw unavailable(served.message ?? `${who} is refused.`);
      return served.model;
    },
    assertModelAllowed(modelId) {
      if (manifestError) throw unavailable(`Model "${modelId}" is refused: the model manifest is invalid. ${manifestError} ${MANIFEST_FIX}`);
      const decision = result.decisions.find((d) => d.modelId === modelId);
      const model = result.manifest.models.find((m) => m.id === modelId);
      if (!decision || !model) {
        throw unavailable(
          `Model "${modelId}" is refused: it is not in the model manifest. Fix: add it to models/manifest.json with its license and files, or choose a model that is listed.`,
        );
      }
      if (!decision.allowed) throw unavailable(decision.message ?? `Model "${modelId}" is refused.`);
      return model;
    },
    preview(proposed) {
      if (!manifest) return [];
      return previewPolicyChange(result.manifest, checks, state.policy, proposed);
    },
    async refresh() {
      state = await deps.loadState();
      // A policy change re-verifies the files too (cheap: unchanged files are not re-hashed); a change found here is audited.
      if (watcher) await watcher.checkNow();
      result = decide();
      logRefusals();
      return status();
    },
    async reloadManifest() {
      const reloaded = deps.loadManifest(deps.manifestFile);
      checks = await verify(reloaded, manifestDir);
      manifest = reloaded;
      manifestError = undefined;
      state = await deps.loadState();
      result = decide();
      logRefusals();
      return status();
    },
    async recheckFiles() {
      if (watcher) {
        // The watcher's onChange re-decides when something changed.
        await watcher.checkNow();
      }
      return status();
    },
    stop() {
      watcher?.stop();
    },
  };
}
