import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const modelPath = path.resolve(repoRoot, "../shared/models/stories260K.gguf");
const script = path.join(repoRoot, "scripts/llm-serve.ts");
const dir = mkdtempSync(path.join(os.tmpdir(), "vouch-llm-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/llm-serve.ts as `npm run llm:serve` would; resolves on exit or on the ready line (then stops it). */
function serve(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("LLM server listening on")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("npm run llm:serve", () => {
  it("fails with one clear line and a non-zero exit when the model file is missing", async () => {
    const missing = path.join(dir, "nope.gguf");
    const run = await serve({ LLM_MODEL_PATH: missing });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`llm-serve: Model file not found: ${missing}`);
    expect(run.stdout).toBe("");
  });

  it("fails clearly on a file that is not GGUF, and on a truncated GGUF", async () => {
    const garbage = path.join(dir, "garbage.gguf");
    writeFileSync(garbage, Buffer.alloc(4096, 7));
    const notGguf = await serve({ LLM_MODEL_PATH: garbage });
    expect(notGguf.code).toBe(1);
    expect(notGguf.stderr.trim()).toBe(`llm-serve: Not a GGUF model file (bad magic bytes): ${garbage}`);

    const truncated = path.join(dir, "truncated.gguf");
    writeFileSync(truncated, readFileSync(modelPath).subarray(0, 600_000));
    const cut = await serve({ LLM_MODEL_PATH: truncated });
    expect(cut.code).toBe(1);
    const lines = cut.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(new RegExp(`^llm-serve: Could not load model ${truncated.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*(corrupt|incomplete|bounds)`));
  });

  it("prints the ready line with its loopback URL, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const run = await serve({ LLM_MODEL_PATH: modelPath, LLM_PORT: String(port) });
    expect(run.stdout.trim()).toBe(`LLM server listening on http://127.0.0.1:${port}`);
    expect(run.code).toBe(0);
  });
});
