/**
 * The zod schema of models/manifest.json: one entry per model artifact with its
 * files, license terms, lineage, locality, approval and model card.
 * Objects are strict so a misspelt field ("enabeld") fails instead of being ignored.
 */
import { z } from "zod";
import { canonicalSpdxId, LICENSE_REF_PATTERN } from "./spdx";

/** Marks a file whose hash has not been recorded; only a disabled entry may carry it. */
export const UNKNOWN_SHA256 = "unknown";

const nonEmpty = z.string().trim().min(1, "must not be empty");

export const modelFileSchema = z.strictObject({
  /** Relative to the folder holding manifest.json. */
  path: nonEmpty,
  sha256: z
    .string()
    .regex(/^([0-9a-f]{64}|unknown)$/, 'must be 64 lowercase hex digits, or "unknown" while the hash is not recorded'),
  /** Bytes; 0 together with sha256 "unknown" means the size is not recorded either. */
  size: z.number().int().min(0),
});

export const licenseSchema = z
  .strictObject({
    /** An SPDX id ("MIT"), or "LicenseRef-…" for custom terms. */
    id: nonEmpty,
    name: nonEmpty.optional(),
    url: z.url().optional(),
  })
  .superRefine((license, ctx) => {
    if (LICENSE_REF_PATTERN.test(license.id)) {
      if (!license.name) ctx.addIssue({ code: "custom", path: ["name"], message: `is required for custom terms (${license.id})` });
      if (!license.url) ctx.addIssue({ code: "custom", path: ["url"], message: `is required for custom terms (${license.id})` });
    } else if (license.id.startsWith("LicenseRef-")) {
      ctx.addIssue({ code: "custom", path: ["id"], message: `"${license.id}" may use only letters, digits, "." and "-" after "LicenseRef-"` });
    } else if (canonicalSpdxId(license.id) !== license.id) {
      const canonical = canonicalSpdxId(license.id);
      ctx.addIssue({
        code: "custom",
        path: ["id"],
        message: canonical
          ? `"${license.id}" must be spelt "${canonical}"`
          : `"${license.id}" is not an SPDX license id; use the SPDX id, or "LicenseRef-…" with name and url for custom terms`,
      });
    }
  });

export const permitsSchema = z.strictObject({
  commercialUse: z.boolean(),
  modification: z.boolean(),
  redistributionOfWeights: z.boolean(),
  redistributionOfDerivatives: z.boolean(),
});

export const useRestrictionSchema = z.strictObject({
  text: nonEmpty,
  flags: z
    .array(z.enum(["acceptable-use-policy", "user-cap", "naming", "no-training-other-models", "field-of-use", "other"]))
    .default([]),
  url: z.url().optional(),
  /** For a "user-cap" restriction: the monthly active users above which the terms change. */
  monthlyActiveUsersCap: z.number().int().positive().optional(),
});

export const obligationsSchema = z.strictObject({
  /** Notice the license requires us to show (About page); null when none is required. */
  attribution: nonEmpty.nullable(),
  useRestrictions: z.array(useRestrictionSchema).default([]),
  /** Derivatives (adapters, fine-tunes) must carry this license id, e.g. the Llama license. */
  derivativeLicense: nonEmpty.optional(),
});

export const approvalSchema = z.strictObject({
  by: nonEmpty,
  at: z.iso.datetime({ offset: true }),
});

export const modelCardSchema = z.strictObject({
  name: nonEmpty,
  description: nonEmpty,
  intendedUse: nonEmpty,
  limitations: z.array(nonEmpty).default([]),
  publisher: nonEmpty.optional(),
  homepage: z.url().optional(),
  /** Parameter count. */
  parameters: z.number().int().positive().optional(),
  task: nonEmpty.optional(),
  architectureFamily: nonEmpty.optional(),
  architecture: nonEmpty.optional(),
  approach: z.enum(["supervised", "unsupervised", "reinforcement-learning", "semi-supervised", "self-supervised"]).optional(),
  languages: z.array(nonEmpty).default([]),
  datasets: z.array(nonEmpty).default([]),
  contextLength: z.number().int().positive().optional(),
  dimensions: z.number().int().positive().optional(),
  quantization: nonEmpty.optional(),
  ethicalConsiderations: z.array(nonEmpty).default([]),
});

/**
 * How a model of format "remote" is reached: the name an OpenAI-compatible server
 * (vLLM, llama.cpp server, Ollama, a hosted API) serves it under, and who runs that
 * server. A self-hosted server keeps data on premises; a third-party service does not.
 */
export const servedSchema = z.strictObject({
  /** As the server lists it at GET /v1/models and as LLM_MODEL / EMBEDDINGS_MODEL name it. */
  name: nonEmpty,
  host: z.enum(["self-hosted", "third-party"]),
});

export const modelEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'"),
  role: z.enum(["embedding", "generation", "reranker", "adapter", "classifier"]),
  format: z.enum(["onnx", "gguf", "json", "remote"]),
  enabled: z.boolean(),
  /**
   * For generation models, what the model can be asked to do: "instruct" follows
   * instructions (writes answers, and judges turns for review); "base" only continues
   * text; "test" is a tiny model for tests. Absent means "base": nothing is assumed.
   */
  kind: z.enum(["instruct", "base", "test"]).optional(),
  /** `npm:pkg@version`, `hf:org/repo[@revision]`, an http(s) URL, or a path. */
  source: z
    .string()
    .regex(
      /^(npm:(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+@[^\s@]+|hf:[\w.-]+\/[\w.-]+(@[\w.-]+)?|https?:\/\/\S+|\.{0,2}\/\S*)$/,
      "must be npm:<package>@<version>, hf:<org>/<repo>[@<revision>], an http(s) URL, or a path",
    ),
  /** How to get the files when they are missing; shown in the fix of a refusal. */
  obtain: nonEmpty.optional(),
  files: z.array(modelFileSchema),
  license: licenseSchema.nullable(),
  permits: permitsSchema.optional(),
  obligations: obligationsSchema.optional(),
  /** Id of the manifest entry this adapter or fine-tune is built on. */
  baseModel: nonEmpty.optional(),
  /** Upstream provenance in words (conversion, vendoring), for the model card. */
  lineage: nonEmpty.optional(),
  /** The terms' limit ("on-premises-only", "any"), or "remote" for a third-party service off premises. */
  locality: z.enum(["on-premises-only", "any", "remote"]),
  /** Required for format "remote": which served model this entry is. */
  served: servedSchema.optional(),
  approval: approvalSchema.nullable(),
  card: modelCardSchema,
  notes: nonEmpty.optional(),
});

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    models: z.array(modelEntrySchema),
  })
  .superRefine((manifest, ctx) => {
    const ids = new Set<string>();
    manifest.models.forEach((m, i) => {
      const at = (...rest: (string | number)[]) => ["models", i, ...rest];
      if (ids.has(m.id)) ctx.addIssue({ code: "custom", path: at("id"), message: `duplicate model id "${m.id}"` });
      ids.add(m.id);
      if (m.license !== null && !m.permits)
        ctx.addIssue({ code: "custom", path: at("permits"), message: "is required when a license is recorded" });
      if (m.format === "remote" && !m.served)
        ctx.addIssue({ code: "custom", path: at("served"), message: 'is required for a model of format "remote": { "name": <the name the server serves it under>, "host": "self-hosted" | "third-party" }' });
      if (m.format !== "remote" && m.served)
        ctx.addIssue({ code: "custom", path: at("served"), message: `is only for models of format "remote", not ${m.format}` });
      if (m.served?.host === "third-party" && m.locality !== "remote")
        ctx.addIssue({ code: "custom", path: at("locality"), message: 'must be "remote" for a model served by a third party (it runs off premises)' });
      if (m.locality === "remote" && m.served?.host !== "third-party")
        ctx.addIssue({ code: "custom", path: at("locality"), message: 'is "remote" only for a model of format "remote" served by a third party ("served": { "host": "third-party" })' });
      if (m.format !== "remote" && m.files.length === 0)
        ctx.addIssue({ code: "custom", path: at("files"), message: `must list at least one file for a ${m.format} model` });
      if (m.role === "adapter" && !m.baseModel)
        ctx.addIssue({ code: "custom", path: at("baseModel"), message: "is required for an adapter" });
      m.files.forEach((f, j) => {
        if (f.sha256 === UNKNOWN_SHA256 && m.enabled)
          ctx.addIssue({
            code: "custom",
            path: at("files", j, "sha256"),
            message: `is "unknown" but model "${m.id}" is enabled; record the file's sha256 and size before enabling it`,
          });
      });
    });
    manifest.models.forEach((m, i) => {
      if (m.baseModel === undefined) return;
      const path = ["models", i, "baseModel"];
      if (m.baseModel === m.id) ctx.addIssue({ code: "custom", path, message: "must not name the model itself" });
      else if (!ids.has(m.baseModel))
        ctx.addIssue({ code: "custom", path, message: `names "${m.baseModel}", which is not a model in this manifest` });
      else if (hasLineageCycle(manifest.models, m.id))
        ctx.addIssue({ code: "custom", path, message: `forms a cycle of base models through "${m.baseModel}"` });
    });
  });

function hasLineageCycle(models: { id: string; baseModel?: string }[], start: string): boolean {
  const byId = new Map(models.map((m) => [m.id, m]));
  const seen = new Set<string>();
  for (let id: string | undefined = start; id !== undefined; id = byId.get(id)?.baseModel) {
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/** The whole manifest: `{ version: 1, models }`. */
export type Manifest = z.infer<typeof manifestSchema>;
/** One model artifact (embedding, generation, reranker, adapter or classifier). */
export type ModelEntry = Manifest["models"][number];
export type ModelFile = z.infer<typeof modelFileSchema>;
export type ModelLicense = z.infer<typeof licenseSchema>;
export type ModelPermits = z.infer<typeof permitsSchema>;
export type ModelApproval = z.infer<typeof approvalSchema>;
export type ModelRole = ModelEntry["role"];
export type ModelServed = z.infer<typeof servedSchema>;
