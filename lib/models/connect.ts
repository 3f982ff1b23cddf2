/**
 * Admin › Models › Connect a server: a manifest entry of format "remote" for a model that
 * an OpenAI-compatible server (Ollama, vLLM, llama.cpp server) serves, with the terms the
 * admin records for it. The model policy then decides, as for any model.
 */
import { z } from "zod";
import { modelEntrySchema, type ModelEntry } from "./manifest-schema";

export const connectServerSchema = z.strictObject({
  baseUrl: z.url("Give the server's address, e.g. http://gpu-box:11434/v1").refine((u) => /^https?:\/\//.test(u), "Use an http:// or https:// address"),
  apiKey: z.string().trim().max(500).optional(),
});

export const addRemoteModelSchema = connectServerSchema.extend({
  /** As the server lists it at GET /v1/models. */
  model: z.string().trim().min(1).max(200),
  /** "embedding": a model that embeds text (TEI, Ollama's embedding models); the others generate. */
  kind: z.enum(["instruct", "base", "embedding"]),
  host: z.enum(["self-hosted", "third-party"]),
  /** The model's license, as an SPDX id ("Apache-2.0"). */
  license: z.string().trim().min(1).max(100),
  commercialUse: z.boolean(),
});

export type AddRemoteModel = z.infer<typeof addRemoteModelSchema>;

/** A manifest id from the served name: "Qwen/Qwen2.5-7B-Instruct" → "remote-qwen-qwen2.5-7b-instruct". */
export function remoteModelId(served: string): string {
  return `remote-${served.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "")}`.slice(0, 100);
}

const INTENDED_USE: Record<AddRemoteModel["kind"], string> = {
  instruct: "Writing cited answers to support agents' questions.",
  base: "Text generation.",
  embedding: "Embedding knowledge-base passages and questions for search.",
};

/** The entry for a served model; throws a ZodError naming the field (e.g. a license id that is not SPDX). */
export function remoteModelEntry(input: AddRemoteModel): ModelEntry {
  return modelEntrySchema.parse({
    id: remoteModelId(input.model),
    role: input.kind === "embedding" ? "embedding" : "generation",
    format: "remote",
    enabled: true,
    ...(input.kind === "embedding" ? {} : { kind: input.kind }),
    source: input.baseUrl,
    files: [],
    license: { id: input.license },
    // Weights are not ours to redistribute or change; only use is at stake for a served model.
    permits: { commercialUse: input.commercialUse, modification: false, redistributionOfWeights: false, redistributionOfDerivatives: false },
    obligations: { attribution: null, useRestrictions: [] },
    locality: input.host === "third-party" ? "remote" : "any",
    served: { name: input.model, host: input.host },
    approval: null,
    card: {
      name: input.model,
      description: `${input.model}, served by the OpenAI-compatible server at ${input.baseUrl}.`,
      intendedUse: INTENDED_USE[input.kind],
      limitations: ["Added in Admin › Models; its terms are as the admin recorded them."],
    },
  });
}
