import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loraTargetsOf, writeLoraAdapter, type LoraAdapterSpec } from "@/test/support/llm/gguf-lora";
import { writeLoraManifest, type AdapterEntryInput } from "@/test/support/llm/lora-manifest";
import { loadManifest } from "@/lib/models/manifest";
import { ModelFileError, resolveGenerationModelPath, startLlmServer, type RunningLlmServer } from "./index";
import { TEST_MODEL_PATH } from "@/test/support/models";

// Real GGUF LoRA adapters, built here (none can be downloaded), on the real stories260K model,
// loaded through the same manifest resolution `npm run llm:serve` uses.
const repoRoot = path.resolve(import.meta.dirname, "..");
const modelPath = TEST_MODEL_PATH;
const dir = mkdtempSync(path.join(os.tmpdir(), "vouch-lora-"));
const file = (name: string) => path.join(dir, name);

let spec: LoraAdapterSpec;
let baseline: string[];
let baselineAdapters: unknown;

beforeAll(async () => {
  // Rank-4 factors on every attention query/value projection and on the output head.
  const targets = await loraTargetsOf(modelPath, /^(output|blk\.\d+\.attn_[qv])\.weight$/);
  spec = { architecture: "llama", targets, rank: 4, alpha: 4, seed: 7, magnitude: 0.2 };
  await writeLoraAdapter(file("story.gguf"), spec);
  await writeLoraAdapter(file("story-f16.gguf"), { ...spec, type: "f16" });
  await writeLoraAdapter(file("zero.gguf"), { ...spec, magnitude: 0 });
  // Made for a model twice as wide: llama.cpp refuses it.
  await writeLoraAdapter(file("wide.gguf"), { ...spec, targets: [{ name: "blk.0.attn_q.weight", inFeatures: 128, outFeatures: 64 }] });
  writeFileSync(file("magic.gguf"), Buffer.alloc(4096, 3));
  baseline = await withServer([], async (server) => {
    baselineAdapters = (await health(server)).adapters;
    return answers(server);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a manifest with these adapters in its own folder; returns that folder. */
function manifestDir(name: string, adapters: AdapterEntryInput[]): string {
  const sub = file(name);
  mkdirSync(sub, { recursive: true });
  writeLoraManifest(sub, modelPath, adapters);
  return sub;
}

/** Starts the server the way llm:serve does from the manifest in `sub`, minus the process. */
function startFromManifest(sub: string): Promise<RunningLlmServer> {
  const model = resolveGenerationModelPath({ manifest: loadManifest(path.join(sub, "manifest.json")), manifestDir: sub });
  return startLlmServer({
    modelPath: model.path,
    modelId: model.id,
    adapters: model.adapters,
    port: 0,
    threads: 1,
    contextSize: 256,
    parallel: 1,
    queueMax: 1,
    defaultMaxTokens: 40,
  });
}

async function withServer<T>(adapters: AdapterEntryInput[], run: (server: RunningLlmServer) => Promise<T>): Promise<T> {
  const server = await startFromManifest(manifestDir(`m-${adapters.map((a) => a.id).join("+") || "none"}`, adapters));
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

const PROMPTS = ["Once upon a time", "The little dog"];

/** Temperature-0 answers to PROMPTS. */
async function answers(server: RunningLlmServer): Promise<string[]> {
  const out: string[] = [];
  for (const prompt of PROMPTS) {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: prompt }], temperature: 0, seed: 1, max_tokens: 40 }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    out.push(body.choices[0]!.message.content);
  }
  return out;
}

async function health(server: RunningLlmServer): Promise<{ model: string; adapters: { id: string; scale: number }[] }> {
  return (await (await fetch(`${server.url}/health`)).json()) as { model: string; adapters: { id: string; scale: number }[] };
}

describe("LoRA adapters from the manifest (stories260K)", () => {
  it("serves without adapters when the manifest lists none, and answers at temperature 0", () => {
    expect(baselineAdapters).toEqual([]);
    expect(baseline).toHaveLength(2);
    for (const text of baseline) expect(text.length).toBeGreaterThan(20);
  });

  it("loads an enabled adapter for the generation model, reports it, and it changes the answers", async () => {
    const { state, texts } = await withServer([{ id: "story-lora", file: file("story.gguf") }], async (server) => ({
      state: await health(server),
      texts: await answers(server),
    }));
    expect(state).toMatchObject({ model: "stories260k", adapters: [{ id: "story-lora", scale: 1 }] });
    for (const [i, text] of texts.entries()) {
      expect(text).not.toBe(baseline[i]);
      expect(text.length).toBeGreaterThan(20);
    }
  });

  it("an F16 adapter with the same factors loads and changes the answers too", async () => {
    const texts = await withServer([{ id: "story-f16", file: file("story-f16.gguf") }], answers);
    texts.forEach((text, i) => expect(text).not.toBe(baseline[i]));
  });

  it("a zero-B adapter loads but leaves every answer unchanged; disabled adapters are not loaded", async () => {
    const { state, texts } = await withServer(
      [
        { id: "zero-lora", file: file("zero.gguf") },
        { id: "story-off", file: file("story.gguf"), enabled: false },
        { id: "broken-off", file: file("magic.gguf"), enabled: false },
      ],
      async (server) => ({ state: await health(server), texts: await answers(server) }),
    );
    expect(state.adapters).toEqual([{ id: "zero-lora", scale: 1 }]);
    expect(texts).toEqual(baseline);
  });

  it("refuses an adapter made for another base model, naming the adapter and the tensor", async () => {
    const start = startFromManifest(manifestDir("m-wide", [{ id: "wide-lora", file: file("wide.gguf") }]));
    await expect(start).rejects.toThrow(ModelFileError);
    await expect(start).rejects.toThrow(
      `LoRA adapter "wide-lora" (${file("wide.gguf")}) cannot be used with model ${modelPath}: tensor "blk.0.attn_q.weight" has lora_a ne [128, 4] and lora_b ne [4, 64], which do not fit the model's ne [64, 64] (was the adapter made for another base model?)`,
    );
  });

  it("npm run llm:serve exits 1 with one line naming a corrupt or mismatched adapter", async () => {
    const magic = manifestDir("m-magic", [{ id: "bad-lora", file: file("magic.gguf") }]);
    const wide = manifestDir("m-wide", [{ id: "wide-lora", file: file("wide.gguf") }]);
    // All at once: most of each run is tsx and node-llama-cpp starting up.
    const [bad, mismatched, skipped] = await Promise.all([serveToExit(magic), serveToExit(wide), serveToExit(magic, ["--skip-adapters", "bad-lora"])]);
    expect(bad).toEqual({
      code: 1,
      stdout: "",
      stderr: `llm-serve: LoRA adapter "bad-lora" (${file("magic.gguf")}) cannot be used: Not a GGUF model file (bad magic bytes)\n`,
    });
    expect(mismatched.code).toBe(1);
    expect(mismatched.stderr).toMatch(/^llm-serve: LoRA adapter "wide-lora" \(.*wide\.gguf\) cannot be used with model .*stories260K\.gguf: tensor "blk\.0\.attn_q\.weight"/);
    // An adapter npm start says the policy refuses is never opened, so the server comes up without it.
    expect(skipped.stdout).toMatch(/^LLM server listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(skipped.stderr).toContain("Not loading LoRA adapter(s) bad-lora: refused by the model policy.\n");
    expect(skipped.stderr).not.toContain("with LoRA");
  });
});

/** Runs llm-server/main.ts with the manifest in `manifestFolder`, to its exit. */
function serveToExit(manifestFolder: string, flags: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "llm-server/main.ts"), "--port", "0", ...flags], {
      cwd: repoRoot,
      env: {
        ...process.env,
        MODELS_DIR: manifestFolder,
        MODELS_MANIFEST: path.join(manifestFolder, "manifest.json"),
        LLM_MODEL_PATH: "",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("listening")) child.kill(); // it should have refused (or is done starting); don't leave it running
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
