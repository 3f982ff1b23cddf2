import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { configuredEmbedderId, createEmbedder, embedderConfigFromEnv, getEmbedderStatus, transformerFolder } from "./factory";

const repoModels = path.resolve(import.meta.dirname, "../../models");
let emptyModels: string;

beforeAll(async () => {
  emptyModels = await fs.mkdtemp(path.join(os.tmpdir(), "vouch-models-"));
});
afterAll(async () => {
  await fs.rm(emptyModels, { recursive: true, force: true });
});

describe("embedderConfigFromEnv", () => {
  it("defaults to the offline model and switches to remote when EMBEDDINGS_BASE_URL is set", () => {
    const local = embedderConfigFromEnv(parseEnv({ MODELS_DIR: "/srv/models" }));
    expect(local).toMatchObject({ embedder: "wink-sif-100d", modelsDir: "/srv/models", batchSize: 64, remote: undefined });
    expect(configuredEmbedderId(local)).toBe("wink-sif-100d");
    const remote = embedderConfigFromEnv(
      parseEnv({ EMBEDDINGS_BASE_URL: "http://gpu:8080/v1", EMBEDDINGS_MODEL: "bge-m3", EMBEDDINGS_API_KEY: "k", EMBED_BATCH: "8" }),
    );
    expect(remote.remote).toEqual({ baseUrl: "http://gpu:8080/v1", model: "bge-m3", apiKey: "k" });
    expect(remote.batchSize).toBe(8);
    expect(configuredEmbedderId(remote)).toBe("remote:bge-m3");
  });
});

describe("createEmbedder", () => {
  it("loads the default static model (building it when missing)", async () => {
    const e = await createEmbedder({ embedder: "wink-sif-100d", modelsDir: repoModels, batchSize: 8 });
    try {
      expect(getEmbedderStatus(e)).toEqual({ ok: true, id: "wink-sif-100d", kind: "static", dimensions: 100 });
      expect(e.maxBatch).toBe(8);
    } finally {
      await e.close?.();
    }
  });

  it("fails clearly when a model is missing and building is off, or a transformer is not pulled", async () => {
    const config = { embedder: "wink-sif-100d", modelsDir: emptyModels, batchSize: 8, buildIfMissing: false };
    const err = await createEmbedder(config).catch((e: unknown) => e);
    expect(String(err)).toMatch(/model\.onnx is missing; run `npm run models:build`/);
    expect(getEmbedderStatus(err, configuredEmbedderId(config))).toEqual({
      ok: false,
      id: "wink-sif-100d",
      message: expect.stringMatching(/is missing/),
    });
    await expect(createEmbedder({ embedder: "bge-small-en-v1.5", modelsDir: emptyModels, batchSize: 8 })).rejects.toThrow(
      /npm run models:pull -- bge-small-en-v1\.5/,
    );
  });

  it("finds a transformer's folder through the manifest and names the manifest id in the pull hint", async () => {
    await fs.copyFile(path.join(repoModels, "manifest.json"), path.join(emptyModels, "manifest.json"));
    try {
      expect(transformerFolder(emptyModels, "bge-small-en-v1.5")).toBe("BAAI/bge-small-en-v1.5");
      expect(transformerFolder(emptyModels, "not-listed")).toBe("not-listed");
      await expect(createEmbedder({ embedder: "bge-small-en-v1.5", modelsDir: emptyModels, batchSize: 8 })).rejects.toThrow(
        /not installed in .*BAAI\/bge-small-en-v1\.5: missing config\.json.*Run `npm run models:pull -- bge-small-en-v1\.5`/,
      );
    } finally {
      await fs.rm(path.join(emptyModels, "manifest.json"));
    }
  });

  it("uses the remote server when configured", async () => {
    const calls: string[] = [];
    const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push(String(url));
      const body = JSON.parse(String(init?.body)) as { input: string[] };
      const data = body.input.map((_, index) => ({ index, embedding: [3, 4] }));
      return new Response(JSON.stringify({ data }), { status: 200 });
    }) as typeof fetch;
    const e = await createEmbedder({
      embedder: "wink-sif-100d",
      modelsDir: emptyModels,
      batchSize: 4,
      remote: { baseUrl: "http://gpu:8080", model: "bge-m3" },
      fetch: fakeFetch,
    });
    expect(getEmbedderStatus(e)).toEqual({ ok: true, id: "remote:bge-m3", kind: "remote", dimensions: 2 });
    expect(Array.from((await e.embed(["x"], { kind: "passage" }))[0] ?? [])).toEqual([
      Math.fround(0.6),
      Math.fround(0.8),
    ]);
    expect(calls).toEqual(["http://gpu:8080/v1/embeddings", "http://gpu:8080/v1/embeddings"]);
    const unnamed = { embedder: "wink-sif-100d", modelsDir: emptyModels, batchSize: 4, remote: { baseUrl: "http://gpu:8080" } };
    await expect(createEmbedder({ ...unnamed, fetch: fakeFetch })).rejects.toThrow(/EMBEDDINGS_MODEL is not/);
    expect(configuredEmbedderId({ ...unnamed, embedder: "bge-m3" })).toBe("remote:bge-m3");
  });
});
