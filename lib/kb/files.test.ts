import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readOriginal, sha256Bytes, storeOriginal } from "./files";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-files-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("storeOriginal", () => {
  it("stores uploads content-addressed, readable by this app's user only (files 0600, folders 0700)", async () => {
    const filesDir = path.join(root, "files");
    const kbId = "00000000-0000-4000-8000-000000000001";
    const bytes = new TextEncoder().encode("# Salaries\n\nConfidential.");
    const relative = await storeOriginal(filesDir, kbId, bytes);
    expect(relative).toBe(path.join(kbId, sha256Bytes(bytes)));
    expect(fs.statSync(path.join(filesDir, relative)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(filesDir, kbId)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(filesDir).mode & 0o777).toBe(0o700);
    expect(await readOriginal(filesDir, relative)).toEqual(bytes);
    expect(await storeOriginal(filesDir, kbId, bytes)).toBe(relative); // the same bytes again: nothing new
    expect(fs.readdirSync(path.join(filesDir, kbId))).toHaveLength(1);
  });
});
