/**
 * The model manifest as a CycloneDX 1.6 ML-BOM: one `machine-learning-model`
 * component per entry, with licenses, hashes, purl and model card, so an
 * auditor's tooling can read what Vouch runs and under which terms.
 */
import { randomUUID } from "node:crypto";
import type { Manifest, ModelEntry, ModelLicense } from "./manifest-schema";
import { canonicalSpdxId } from "./spdx";
import { isRecordedSha256, type FileCheck } from "./verify";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
/** A CycloneDX 1.6 JSON document (validated against the vendored schema in tests). */
export type CycloneDxBom = { [key: string]: Json | undefined };

export interface BomOptions {
  /** `urn:uuid:…`; a random one by default. */
  serialNumber?: string;
  /** ISO 8601; now by default. */
  timestamp?: string;
  /** Version of Vouch, recorded as the tool and the described application. */
  appVersion?: string;
}

/** Build the ML-BOM for every manifest entry; `checks` adds each file's verification state. */
export function buildMlBom(manifest: Manifest, checks: readonly FileCheck[], options: BomOptions = {}): CycloneDxBom {
  const appVersion = options.appVersion ?? "0.1.0";
  const app = { type: "application", "bom-ref": "vouch", name: "vouch", version: appVersion };
  const bom: CycloneDxBom = {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? new Date().toISOString(),
      tools: { components: [{ type: "application", name: "vouch models:bom", version: appVersion }] },
      component: { ...app, description: "Vouch: an offline, retrieval-augmented enterprise assistant" },
    },
    components: manifest.models.map((m) => modelComponent(m, checks)),
    dependencies: [
      { ref: "vouch", dependsOn: manifest.models.filter((m) => m.enabled).map((m) => ref(m.id)) },
      ...manifest.models.map((m) => ({ ref: ref(m.id), dependsOn: m.baseModel ? [ref(m.baseModel)] : [] })),
    ],
  };
  // Drop the optional fields left undefined, as the serialised document would.
  return JSON.parse(JSON.stringify(bom)) as CycloneDxBom;
}

const ref = (id: string) => `model:${id}`;

function modelComponent(m: ModelEntry, checks: readonly FileCheck[]): Json {
  const recorded = m.files.filter((f) => isRecordedSha256(f.sha256));
  const single = m.files.length === 1 ? recorded[0] : undefined;
  const card = m.card;
  const properties: { name: string; value: string }[] = [
    { name: "vouch:role", value: m.role },
    { name: "vouch:format", value: m.format },
    { name: "vouch:enabled", value: String(m.enabled) },
    { name: "vouch:source", value: m.source },
    { name: "vouch:locality", value: m.locality },
    { name: "vouch:approval", value: m.approval ? `${m.approval.by} at ${m.approval.at}` : "not approved" },
    { name: "vouch:verification", value: verificationState(m, checks) },
  ];
  if (m.license === null) properties.push({ name: "vouch:license", value: "not on record" });
  if (m.permits) for (const [k, v] of Object.entries(m.permits)) properties.push({ name: `vouch:permits:${k}`, value: String(v) });
  for (const r of m.obligations?.useRestrictions ?? []) properties.push({ name: "vouch:useRestriction", value: r.text });
  if (m.obligations?.attribution) properties.push({ name: "vouch:attribution", value: m.obligations.attribution });
  if (m.lineage) properties.push({ name: "vouch:lineage", value: m.lineage });
  if (m.baseModel) properties.push({ name: "vouch:baseModel", value: m.baseModel });
  if (m.served) properties.push({ name: "vouch:served:name", value: m.served.name }, { name: "vouch:served:host", value: m.served.host });

  const externalReferences: Json[] = [];
  if (m.license?.url) externalReferences.push({ type: "license", url: m.license.url });
  if (card.homepage) externalReferences.push({ type: "website", url: card.homepage });

  return {
    type: "machine-learning-model",
    "bom-ref": ref(m.id),
    name: m.id,
    version: sourceVersion(m.source),
    description: card.description,
    publisher: card.publisher,
    purl: purlFor(m),
    hashes: single ? [{ alg: "SHA-256", content: single.sha256 }] : undefined,
    licenses: m.license ? [{ license: licenseOf(m.license) }] : undefined,
    externalReferences: externalReferences.length > 0 ? externalReferences : undefined,
    modelCard: modelCardOf(m),
    // A model of several files lists each as a file component with its own hash.
    components:
      m.files.length > 1
        ? m.files.map((f) => ({
            type: "file",
            "bom-ref": `${ref(m.id)}/${f.path}`,
            name: f.path,
            hashes: isRecordedSha256(f.sha256) ? [{ alg: "SHA-256", content: f.sha256 }] : undefined,
            properties: [{ name: "vouch:size", value: String(f.size) }],
          }))
        : undefined,
    properties,
  };
}

function licenseOf(license: NonNullable<ModelLicense>): Json {
  const spdx = canonicalSpdxId(license.id);
  // CycloneDX accepts only SPDX-list ids in `id`; custom terms go by name and url.
  return spdx
    ? { id: spdx, url: license.url, acknowledgement: "declared" }
    : { name: license.name ?? license.id, url: license.url, acknowledgement: "declared" };
}

function modelCardOf(m: ModelEntry): Json {
  const c = m.card;
  const props: { name: string; value: string }[] = [];
  if (c.parameters !== undefined) props.push({ name: "parameters", value: String(c.parameters) });
  if (c.contextLength !== undefined) props.push({ name: "contextLength", value: String(c.contextLength) });
  if (c.dimensions !== undefined) props.push({ name: "dimensions", value: String(c.dimensions) });
  if (c.quantization) props.push({ name: "quantization", value: c.quantization });
  if (c.languages.length > 0) props.push({ name: "languages", value: c.languages.join(", ") });
  const output = m.role === "embedding" ? "vector" : m.role === "reranker" ? "score" : m.role === "classifier" ? "label" : "text";
  return {
    "bom-ref": `model-card:${m.id}`,
    modelParameters: {
      approach: c.approach ? { type: c.approach } : undefined,
      task: c.task,
      architectureFamily: c.architectureFamily,
      modelArchitecture: c.architecture,
      datasets: c.datasets.length > 0 ? c.datasets.map((name) => ({ type: "dataset", name })) : undefined,
      inputs: [{ format: "text" }],
      outputs: [{ format: output }],
    },
    considerations: {
      useCases: [c.intendedUse],
      technicalLimitations: c.limitations.length > 0 ? c.limitations : undefined,
      ethicalConsiderations: c.ethicalConsiderations.length > 0 ? c.ethicalConsiderations.map((name) => ({ name })) : undefined,
    },
    properties: props.length > 0 ? props : undefined,
  };
}

function verificationState(m: ModelEntry, checks: readonly FileCheck[]): string {
  const mine = checks.filter((c) => c.modelId === m.id);
  if (m.format === "remote") return "not applicable: runs on another server";
  if (mine.length === 0) return "not checked";
  const bad = mine.filter((c) => c.status !== "ok");
  return bad.length === 0 ? "ok" : bad.map((c) => `${c.path}: ${c.status}`).join("; ");
}

function sourceVersion(source: string): string | undefined {
  const npm = /^npm:(?:@[^/]+\/)?[^@]+@(.+)$/.exec(source);
  if (npm) return npm[1];
  return /^hf:[^@]+@(.+)$/.exec(source)?.[1];
}

/** Package URL of a model's source: pkg:npm, pkg:huggingface, or pkg:generic. */
export function purlFor(m: Pick<ModelEntry, "id" | "source">): string {
  const npm = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(m.source);
  if (npm) return `pkg:npm/${(npm[1] as string).replace(/^@/, "%40")}@${encodeURIComponent(npm[2] as string)}`;
  const hf = /^hf:([^/]+)\/([^@]+)(?:@(.+))?$/.exec(m.source);
  if (hf) {
    const version = hf[3] ? `@${encodeURIComponent(hf[3].toLowerCase())}` : "";
    return `pkg:huggingface/${encodeURIComponent(hf[1] as string)}/${encodeURIComponent(hf[2] as string)}${version}`;
  }
  const qualifier = /^https?:\/\//.test(m.source) ? `?download_url=${encodeURIComponent(m.source)}` : "";
  return `pkg:generic/${encodeURIComponent(m.id)}${qualifier}`;
}
