import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnLlmServer } from "./spawn";
import { entry, manifestOf, SHA_A, TEST_MODEL_PATH } from "@/test/support/models";

const repoRoot = path.resolve(import.meta.dirname, "..");
const modelPath = TEST_MODEL_PATH;
const dir = mkdtempSync(path.join(os.tmpdir(), "vouch-llm-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs llm-server/main.ts exactly as `npm run llm:serve` would, to its exit. */
function serveToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "llm-server/main.ts"), ...args], { cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run llm:serve as a child process", () => {
  it("exits 1 with one clear line when the model file is missing or truncated", async () => {
    const missing = path.join(dir, "nope.gguf");
    const truncated = path.join(dir, "truncated.gguf");
    writeFileSync(truncated, readFileSync(modelPath).subarray(0, 600_000));
    // Both at once: most of each run is tsx and node-llama-cpp starting up.
    const [gone, cut] = await Promise.all([serveToExit(["--model-path", missing]), serveToExit(["--model-path", truncated])]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(`llm-serve: Model file not found: ${missing}`);
    expect(gone.stdout).toBe("");
    expect(cut.code).toBe(1);
    expect(cut.stderr.trim()).toBe(
      `llm-serve: Model file is truncated: its tensors need 1185376 bytes but the file has 600000; download it again: ${truncated}`,
    );
  });

  it("spawnLlmServer rejects with the child's own message when the file is not GGUF", async () => {
    const garbage = path.join(dir, "garbage.gguf");
    writeFileSync(garbage, Buffer.alloc(4096, 7));
    await expect(spawnLlmServer({ repoRoot, args: ["--model-path", garbage] })).rejects.toThrow(
      `The LLM server exited with code 1 before it was ready: llm-serve: Not a GGUF model file (bad magic bytes): ${garbage}`,
    );
  });

  it("spawnLlmServer waits for the ready line on a free port, and close() stops the child cleanly", async () => {
    const server = await spawnLlmServer({ repoRoot, args: ["--model-path", modelPath, "--port", "0"] });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = (await (await fetch(`${server.url}/health`)).json()) as { status: string; model: string };
      expect(health).toMatchObject({ status: "ok", model: "stories260k" });
    } finally {
      await server.close();
    }
    expect(server.child.exitCode).toBe(0);
  });

  it("serves the GGUF model an admin chose in Admin › Models, and switches when the choice changes", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "vouch-llm-choice-"));
    try {
      for (const name of ["a.gguf", "b.gguf"]) symlinkSync(modelPath, path.join(home, name));
      const story = (id: string, file: string) => entry({ id, files: [{ path: file, sha256: SHA_A, size: 1 }] });
      writeFileSync(path.join(home, "manifest.json"), JSON.stringify(manifestOf(story("story-a", "a.gguf"), story("story-b", "b.gguf"))));
      const choose = (modelId: string) => {
        mkdirSync(path.join(home, "models"), { recursive: true });
        writeFileSync(path.join(home, "models", "generation.json"), JSON.stringify({ local: true, modelId }));
      };
      choose("story-b");
      const server = await spawnLlmServer({ repoRoot, args: ["--port", "0"], env: { DATA_DIR: home, MODELS_DIR: home } });
      const served = async () => ((await (await fetch(`${server.url}/health`)).json()) as { model: string }).model;
      try {
        expect(await served()).toBe("story-b"); // not the manifest's first
        choose("story-a");
        await expect.poll(() => served().catch(() => "restarting"), { timeout: 30_000, interval: 500 }).toBe("story-a");
      } finally {
        await server.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
