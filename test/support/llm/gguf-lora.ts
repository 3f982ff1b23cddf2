/**
 * Builds real GGUF LoRA adapters for tests, laid out as llama.cpp's
 * convert_lora_to_gguf.py writes them and as llama-adapter.cpp checks them:
 * for a base weight W with ne [in, out], a pair `W.lora_a` with ne [in, rank] and
 * `W.lora_b` with ne [rank, out]; llama.cpp adds scale·B·(A·x) with
 * scale = user scale · alpha / rank (or the user scale alone when alpha is 0).
 */
import { createHash } from "node:crypto";
import { stat, writeFile } from "node:fs/promises";
import { readGgufLayout } from "@/llm-server/gguf-tensors";
import { seededRandom } from "@/lib/random";
import { encodeGguf, type GgmlType, type GgufTensor } from "./gguf-writer";

/** One base-model weight the adapter changes. */
export interface LoraTarget {
  /** Base tensor name, e.g. "blk.0.attn_q.weight". */
  name: string;
  /** The base weight's ne[0]. */
  inFeatures: number;
  /** The base weight's ne[1]. */
  outFeatures: number;
}

export interface LoraAdapterSpec {
  /** Must equal the base model's general.architecture ("llama"). */
  architecture: string;
  targets: LoraTarget[];
  rank: number;
  /** adapter.lora.alpha; 0 means "no alpha/rank scaling". */
  alpha: number;
  /** Seeds the factors, so the same spec always gives the same bytes. */
  seed: number;
  /** Half-width of B's uniform entries; 0 makes B zero, an adapter that changes nothing (LoRA's usual start). */
  magnitude: number;
  type?: GgmlType;
  name?: string;
}

export interface WrittenAdapter {
  path: string;
  sha256: string;
  size: number;
}

/**
 * The 2-D weights of `modelFile` whose names match `pattern`, as LoRA targets.
 * Use a pattern that cannot match token_embd.weight: llama.cpp lays out an embedding LoRA the other way round.
 */
export async function loraTargetsOf(modelFile: string, pattern: RegExp): Promise<LoraTarget[]> {
  const layout = await readGgufLayout(modelFile, (await stat(modelFile)).size);
  if (!layout) throw new RangeError(`cannot read the tensor table of ${modelFile}`);
  return layout.tensors
    .filter((t) => t.ne.length === 2 && pattern.test(t.name))
    .map((t) => ({ name: t.name, inFeatures: t.ne[0]!, outFeatures: t.ne[1]! }));
}

/** The bytes of a GGUF LoRA adapter for `spec`. */
export function encodeLoraAdapter(spec: LoraAdapterSpec): Buffer {
  if (!Number.isInteger(spec.rank) || spec.rank < 1) throw new RangeError(`rank must be a positive integer, got ${spec.rank}`);
  const random = seededRandom(spec.seed);
  const type = spec.type ?? "f32";
  const tensors: GgufTensor[] = spec.targets.flatMap((t) => {
    // A ~ U(-1, 1)/sqrt(in) keeps A·x near unit size whatever the width; B sets the strength.
    const a = Float32Array.from({ length: spec.rank * t.inFeatures }, () => (random() * 2 - 1) / Math.sqrt(t.inFeatures));
    // magnitude 0 writes +0.0 everywhere (a negative draw times 0 would be -0.0, bytes that aren't zero).
    const b = Float32Array.from({ length: t.outFeatures * spec.rank }, () => (spec.magnitude === 0 ? 0 : (random() * 2 - 1) * spec.magnitude));
    return [
      { name: `${t.name}.lora_a`, ne: [t.inFeatures, spec.rank], type, data: a },
      { name: `${t.name}.lora_b`, ne: [spec.rank, t.outFeatures], type, data: b },
    ];
  });
  return encodeGguf(
    {
      "general.architecture": { type: "string", value: spec.architecture },
      "general.type": { type: "string", value: "adapter" },
      "general.name": { type: "string", value: spec.name ?? "test-lora" },
      "adapter.type": { type: "string", value: "lora" },
      "adapter.lora.alpha": { type: "f32", value: spec.alpha },
    },
    tensors,
  );
}

/** Writes the adapter to `file` and returns what a manifest entry records for it. */
export async function writeLoraAdapter(file: string, spec: LoraAdapterSpec): Promise<WrittenAdapter> {
  const bytes = encodeLoraAdapter(spec);
  await writeFile(file, bytes);
  return { path: file, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

