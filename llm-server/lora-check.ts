/**
 * Checks LoRA adapters against their base model the way llama.cpp's
 * llama_adapter_lora_init will (llama-adapter.cpp), before the native loader
 * sees them: it explains a refusal only in its log, naming neither the adapter
 * nor the manifest entry, so a person could not tell which file to fix.
 */
import { stat } from "node:fs/promises";
import { checkGgufHeader, ModelFileError } from "./gguf-check";
import { readGgufLayout, type GgufLayout, type GgufTensorInfo } from "./gguf-tensors";

/** A LoRA adapter file as the server is asked to load it. */
export interface AdapterFile {
  /** Manifest id, when it came from the manifest. */
  id?: string;
  path: string;
}

/** `LoRA adapter "id" (path)`, the subject of every adapter message. */
export function describeAdapter(adapter: AdapterFile): string {
  return adapter.id ? `LoRA adapter "${adapter.id}" (${adapter.path})` : `LoRA adapter ${adapter.path}`;
}

/** Throws ModelFileError naming the first adapter that llama.cpp would refuse for `modelPath`, and why. */
export async function checkLoraAdapters(modelPath: string, adapters: readonly AdapterFile[]): Promise<void> {
  if (adapters.length === 0) return;
  const base = await readGgufLayout(modelPath, (await stat(modelPath)).size);
  for (const adapter of adapters) {
    try {
      await checkGgufHeader(adapter.path);
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      // The header messages end with the path, which describeAdapter already gives.
      const reason = error.message.endsWith(`: ${adapter.path}`) ? error.message.slice(0, -adapter.path.length - 2) : error.message;
      throw new ModelFileError(`${describeAdapter(adapter)} cannot be used: ${reason}`, { cause: error });
    }
    const layout = await readGgufLayout(adapter.path, (await stat(adapter.path)).size);
    const problem = layout && loraProblem(layout, base);
    if (problem) throw new ModelFileError(`${describeAdapter(adapter)} cannot be used with model ${modelPath}: ${problem}`);
  }
}

/** The adapter a node-llama-cpp load error names ("Failed to initialize LoRA adapter "<path>""), if any. */
export function adapterNamedIn(cause: unknown, adapters: readonly AdapterFile[]): AdapterFile | undefined {
  const message = cause instanceof Error ? cause.message : String(cause);
  return /LoRA adapter/i.test(message) ? adapters.find((a) => message.includes(a.path)) : undefined;
}

/**
 * Why llama.cpp would refuse this adapter on this base, in its order of checks; undefined when it would load.
 * `base` undefined (a header too large to read here) skips the checks that need the base's tensors.
 */
export function loraProblem(adapter: GgufLayout, base: GgufLayout | undefined): string | undefined {
  const generalType = adapter.metadata.get("general.type");
  if (generalType !== "adapter") {
    return `it is not an adapter (general.type is ${quoted(generalType)}, not "adapter"); list full models with role "generation", not "adapter"`;
  }
  const arch = adapter.metadata.get("general.architecture");
  const baseArch = base?.metadata.get("general.architecture");
  if (base && arch !== baseArch) return `it is for architecture ${quoted(arch)} but the model is ${quoted(baseArch)}`;
  const adapterType = adapter.metadata.get("adapter.type");
  if (adapterType !== "lora") return `adapter.type is ${quoted(adapterType)}, not "lora"`;

  const pairs = new Map<string, { a?: GgufTensorInfo; b?: GgufTensorInfo }>();
  const seen = new Set<string>();
  for (const t of adapter.tensors) {
    if (seen.has(t.name)) return `tensor "${t.name}" appears twice`; // gguf.cpp refuses the file
    seen.add(t.name);
    const match = /^(.*)\.lora_([ab])$/.exec(t.name);
    if (!match) {
      if (t.name.endsWith("_norm.weight")) continue; // llama.cpp skips norm tensors too
      return `tensor "${t.name}" is neither a .lora_a nor a .lora_b tensor`;
    }
    const pair = pairs.get(match[1]!) ?? {};
    pair[match[2] as "a" | "b"] = t;
    pairs.set(match[1]!, pair);
  }
  const baseTensors = new Map(base?.tensors.map((t) => [t.name, t]));
  for (const [name, { a, b }] of pairs) {
    if (!a || !b) return `tensor "${name}" has a .lora_${a ? "a" : "b"} but no .lora_${a ? "b" : "a"}`;
    if (!base) continue;
    const weight = baseTensors.get(name);
    if (!weight) return `it changes tensor "${name}", which the model does not have (was the adapter made for another base model?)`;
    const [inF, outF] = weight.ne;
    // An embedding LoRA is laid out the other way round (llama.cpp's llm_build_inp_embd).
    const fits = name.endsWith("token_embd.weight")
      ? inF === b.ne[1] && outF === a.ne[1]
      : inF === a.ne[0] && outF === b.ne[1] && a.ne[1] === b.ne[0];
    if (!fits) {
      return `tensor "${name}" has lora_a ne [${a.ne.join(", ")}] and lora_b ne [${b.ne.join(", ")}], which do not fit the model's ne [${weight.ne.join(", ")}] (was the adapter made for another base model?)`;
    }
  }
  return undefined;
}

function quoted(value: string | number | undefined): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}
