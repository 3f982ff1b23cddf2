/**
 * What Admin › Models shows for each manifest entry, computed from the gate's
 * status as plain data (it crosses into client components). Pure.
 */
import { modelFingerprint } from "@/lib/models/approval";
import type { ModelEntry, ModelPermits } from "@/lib/models/manifest";
import type { Decision, Policy } from "@/lib/models/policy";
import { canonicalSpdxId } from "@/lib/models/spdx";
import { isRecordedSha256, type FileCheckStatus } from "@/lib/models/verify";
import type { ModelGateStatus } from "./model-gate";

/** A file's verification state: a FileCheck status, or "not-checked" for models the gate does not verify (disabled ones). */
export type FileState = FileCheckStatus | "not-checked";

export interface ModelFileView {
  path: string;
  sha256: string;
  size: number;
  recorded: boolean;
  state: FileState;
  actualSha256?: string;
  actualSize?: number;
}

export interface ModelCardView {
  id: string;
  name: string;
  role: ModelEntry["role"];
  format: ModelEntry["format"];
  enabled: boolean;
  source: string;
  sourceUrl?: string;
  description: string;
  intendedUse: string;
  limitations: string[];
  license: { id: string; name?: string; url: string } | null;
  permits: ModelPermits | null;
  useRestrictions: { text: string; flags: string[]; url?: string }[];
  attribution: string | null;
  baseModel?: string;
  lineage?: string;
  locality: ModelEntry["locality"];
  /** For a model on another server: the name it is served under, and who runs that server. */
  served?: ModelEntry["served"];
  notes?: string;
  files: ModelFileView[];
  /** The approval in force, and where it was given. */
  approval: { by: string; at: string; source: "manifest" | "admin" } | null;
  /** An approval given in the app for an earlier version of the entry (it no longer counts). */
  staleApproval: { by: string; at: string } | null;
  fingerprint: string;
  needsApproval: boolean;
  decision: Pick<Decision, "allowed" | "clause" | "message" | "problems">;
}

/** A link a person can open for a license: the recorded url, else the SPDX page. */
export function licenseUrl(license: { id: string; url?: string }): string {
  if (license.url) return license.url;
  const spdx = canonicalSpdxId(license.id);
  return `https://spdx.org/licenses/${encodeURIComponent(spdx ?? license.id)}.html`;
}

/** A web page for a model's source, when there is one (npm package, Hugging Face repo, URL). */
export function sourceUrl(source: string): string | undefined {
  const npm = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(source);
  if (npm) return `https://www.npmjs.com/package/${npm[1]}/v/${npm[2]}`;
  const hf = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w.-]+))?$/.exec(source);
  if (hf) return `https://huggingface.co/${hf[1]}${hf[2] ? `/tree/${hf[2]}` : ""}`;
  return /^https?:\/\//.test(source) ? source : undefined;
}

/** One card per manifest entry, in manifest order. */
export function buildModelCards(status: ModelGateStatus): ModelCardView[] {
  if (!status.manifest || !status.approvedManifest) return [];
  const approved = new Map(status.approvedManifest.models.map((m) => [m.id, m]));
  return status.manifest.models.map((raw) => {
    const model = approved.get(raw.id) ?? raw;
    const fingerprint = modelFingerprint(raw);
    const stored = status.approvals.find((a) => a.modelId === raw.id);
    const fromAdmin = stored !== undefined && stored.fingerprint === fingerprint;
    const decision = status.decisions.find((d) => d.modelId === raw.id);
    return {
      id: raw.id,
      name: raw.card.name,
      role: raw.role,
      format: raw.format,
      enabled: raw.enabled,
      source: raw.source,
      sourceUrl: sourceUrl(raw.source),
      description: raw.card.description,
      intendedUse: raw.card.intendedUse,
      limitations: raw.card.limitations,
      license: raw.license ? { id: raw.license.id, name: raw.license.name, url: licenseUrl(raw.license) } : null,
      permits: raw.permits ?? null,
      useRestrictions: (raw.obligations?.useRestrictions ?? []).map((r) => ({ text: r.text, flags: r.flags, url: r.url })),
      attribution: raw.obligations?.attribution ?? null,
      baseModel: raw.baseModel,
      lineage: raw.lineage,
      locality: raw.locality,
      served: raw.served,
      notes: raw.notes,
      files: raw.files.map((f) => {
        const check = status.checks.find((c) => c.modelId === raw.id && c.path === f.path);
        return {
          path: f.path,
          sha256: f.sha256,
          size: f.size,
          recorded: isRecordedSha256(f.sha256),
          state: check?.status ?? "not-checked",
          actualSha256: check?.actualSha256,
          actualSize: check?.actualSize,
        };
      }),
      approval: model.approval ? { ...model.approval, source: fromAdmin ? "admin" : "manifest" } : null,
      staleApproval: stored && !fromAdmin ? { by: stored.by, at: stored.at } : null,
      fingerprint,
      needsApproval: model.approval === null,
      decision: decision
        ? { allowed: decision.allowed, clause: decision.clause, message: decision.message, problems: decision.problems }
        : { allowed: false, message: "Not decided yet.", problems: [] },
    };
  });
}

/** License ids offered as checkboxes in the policy editor: those in the manifest, then those the policy allows. */
export function licenseChoices(status: Pick<ModelGateStatus, "manifest" | "policy">): string[] {
  const ids = [...(status.manifest?.models ?? []).flatMap((m) => (m.license ? [m.license.id] : [])), ...status.policy.allowedLicenses];
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Same policy, comparing license ids as sets (case-insensitive, as SPDX specifies). */
export function samePolicy(a: Policy, b: Policy): boolean {
  const set = (p: Policy) => [...new Set(p.allowedLicenses.map((l) => l.toLowerCase()))].sort().join(",");
  return a.use === b.use && a.locality === b.locality && set(a) === set(b);
}
